#include "indexer/synonym_table.hpp"

#include <cctype>
#include <string>
#include <vector>

#include "analyzers/cached_stemmer.hpp"
#include "analyzers/fields.hpp"
#include "indexer/index_writer.hpp"

namespace trialsearch {

AliasGraph load_alias_graph(const Xapian::Database& db) {
  std::string data = db.get_metadata(std::string(kMetaAliases));
  if (data.empty()) return AliasGraph{};
  return AliasGraph::deserialize(data);
}

void store_alias_graph(Xapian::WritableDatabase& db, const AliasGraph& graph) {
  db.set_metadata(std::string(kMetaAliases), graph.serialize());
}

std::string synonym_key(std::string_view alias_key) {
  std::string out;
  for (char c : alias_key) {
    auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || u >= 0x80)
      out += c;
    else if (c == ' ')
      out += ' ';
    else
      return {};
  }
  return out;
}

namespace {

bool single_word(std::string_view key) {
  return !key.empty() && key.find(' ') == std::string_view::npos && !synonym_key(key).empty();
}

std::string drug_name_term(std::string_view key) {
  return make_term(field("drug-name").prefix, key);
}

// The free-text places a single word can be found by unfielded search: the unprefixed index
// and the long fields indexed once with their prefix (kDefaultSearchFields).
std::vector<std::string> free_text_terms(std::string_view word) {
  std::string term = stem_of(word);  // word terms are stems
  std::vector<std::string> terms{term};
  for (auto name : kDefaultSearchFields) terms.push_back(make_term(field(name).prefix, term));
  return terms;
}

bool present(const Xapian::Database& db, std::string_view key) {
  if (db.term_exists(drug_name_term(key))) return true;
  if (!single_word(key)) return false;
  for (const auto& t : free_text_terms(key))
    if (db.term_exists(t)) return true;
  return false;
}

}  // namespace

std::size_t write_synonyms(Xapian::WritableDatabase& db, const AliasGraph& graph) {
  std::vector<std::string> old_keys;
  for (auto it = db.synonym_keys_begin(); it != db.synonym_keys_end(); ++it)
    old_keys.push_back(*it);
  for (const auto& k : old_keys) db.clear_synonyms(k);

  const std::string intervention_prefix(field("intervention").prefix);
  std::size_t keys = 0;
  for (const auto& group : graph.groups()) {
    // A runaway chain of links (a lexicon's catch-all synonyms) would make n^2 entries and
    // wrong expansions: such groups are left to the drug-name terms.
    if (group.size() > AliasGraph::kMaxGroupSize) continue;
    bool any = false;
    for (const auto& member : group)
      if ((any = present(db, member))) break;
    if (!any) continue;
    for (const auto& member : group) {
      std::string key = synonym_key(member);
      if (key.empty() || !fits_synonym_key(intervention_prefix + key)) continue;
      ++keys;
      for (const auto& other : group) {
        if (other == member) continue;
        db.add_synonym(key, drug_name_term(other));
        if (single_word(other))
          for (const auto& t : free_text_terms(other)) db.add_synonym(key, t);
        // `drug:NAME` is looked up with the field's prefix, and expands within the field
        if (key.find(' ') == std::string::npos) {
          db.add_synonym(intervention_prefix + key, drug_name_term(other));
          if (single_word(other))
            db.add_synonym(intervention_prefix + key, intervention_prefix + stem_of(other));
        }
      }
    }
  }
  return keys;
}

}  // namespace trialsearch
