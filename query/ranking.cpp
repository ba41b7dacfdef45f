#include "query/ranking.hpp"

#include "analyzers/fields.hpp"

namespace trialsearch {
namespace {

// k2 (query-length correction) off, as Xapian's default. k3 (query wdf) off too: a term's weight
// then does not depend on how many times the query tree holds it, so a part of the query (the
// all-words tier of a relaxed query, see TrialQueryParser::parse_tiers) weighs a document
// exactly as the whole query does. Xapian's default k3 = 1 only scaled every term of our queries
// alike (each word is in the same branches), so rankings do not change. The minimum normalised
// length as Xapian's default.
constexpr double kBm25K2 = 0.0;
constexpr double kBm25K3 = 0.0;
constexpr double kBm25MinNormLen = 0.5;

}  // namespace

Xapian::BM25Weight ranking_weight() { return ranking_weight(kBm25K1); }

Xapian::BM25Weight ranking_weight(double k1) {
  return Xapian::BM25Weight(k1, kBm25K2, kBm25K3, kBm25B, kBm25MinNormLen);
}

void apply_ranking(Xapian::Enquire& enquire) {
  enquire.set_weighting_scheme(ranking_weight());
  break_ties_by_id(enquire);
}

void break_ties_by_id(Xapian::Enquire& enquire) {
  enquire.set_sort_by_relevance_then_value(kSlotNctId, false);
}

std::vector<Xapian::MSetIterator> settled_page(const Xapian::MSet& mset, std::size_t limit) {
  std::vector<Xapian::MSetIterator> page;
  for (auto it = mset.begin(); it != mset.end(); ++it) page.push_back(it);
  settle_near_ties(
      page, [](const Xapian::MSetIterator& it) { return it.get_weight(); },
      [](const Xapian::MSetIterator& it) { return it.get_document().get_value(kSlotNctId); });
  if (page.size() > limit) page.resize(limit);
  return page;
}

}  // namespace trialsearch
