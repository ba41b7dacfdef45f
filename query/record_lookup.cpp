#include "query/record_lookup.hpp"

#include "analyzers/fields.hpp"
#include "analyzers/strings.hpp"
#include "indexer/document_builder.hpp"
#include "indexer/normalize.hpp"
#include "indexer/trial_codec.hpp"

namespace trialsearch {

std::optional<Xapian::docid> find_docid(const Xapian::Database& db, std::string_view nct_id) {
  if (!is_nct_id(trim(nct_id))) return std::nullopt;
  std::string term = id_term(trim(nct_id));
  auto p = db.postlist_begin(term);
  if (p == db.postlist_end(term)) return std::nullopt;
  return *p;
}

std::string nct_id_of(const Xapian::Document& doc) { return doc.get_value(kSlotNctId); }

std::optional<Trial> find_trial(const Xapian::Database& db, std::string_view nct_id) {
  auto id = find_docid(db, nct_id);
  if (!id) return std::nullopt;
  return trial_from_record(db.get_document(*id).get_data());
}

}  // namespace trialsearch
