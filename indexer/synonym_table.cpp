#include "indexer/synonym_table.hpp"

#include <algorithm>
#include <cctype>
#include <set>
#include <string>
#include <vector>

#include "analyzers/cached_stemmer.hpp"
#include "analyzers/db_metadata.hpp"
#include "analyzers/drug_codes.hpp"
#include "analyzers/fields.hpp"
#include "analyzers/text_fold.hpp"

namespace trialsearch {
namespace {

// Imported lexicons (kMetaLexicons): a list of them, one line each, and each one's entries under
// its own key (kMetaLexiconPrefix + name).

// Tabs and line breaks inside a field would break the line format: they become spaces.
std::string field_text(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
  return out;
}

std::string serialize_list(const std::vector<StoredLexicon>& list) {
  std::string out;
  for (const auto& l : list)
    out += field_text(l.name) + '\t' + field_text(l.file) + '\t' + field_text(l.format) + '\t' +
           std::to_string(l.entries) + '\t' + std::to_string(l.skipped_lines) + '\t' +
           field_text(l.imported) + '\n';
  return out;
}

std::vector<LexiconEntry> parse_entries(std::string_view text) {
  std::vector<LexiconEntry> out;
  for (auto line : split_fields(text, '\n')) {
    auto fields = split_fields(line, '\t');
    if (fields.size() < 4) continue;
    LexiconEntry e;
    e.kind = std::string(fields[0]);
    e.provenance = std::string(fields[1]);
    for (std::size_t i = 2; i < fields.size(); ++i) e.names.emplace_back(fields[i]);
    out.push_back(std::move(e));
  }
  return out;
}

std::string drug_name_term(std::string_view key) {
  return make_term(field("drug-name").prefix, key);
}

bool single_word(std::string_view key) {
  return !key.empty() && key.find(' ') == std::string_view::npos && !synonym_key(key).empty();
}

// A word searched in free text for a drug name: a code, or a word of four letters or more
// ("lv" for leucovorin would find every left ventricle).
bool free_text_word(std::string_view key) {
  if (!single_word(key)) return false;
  auto code = canonical_code(key);
  return (code && *code == key) || key.size() >= 4;
}

// The free-text places a single word can be found by unfielded search: the unprefixed index
// and the long fields indexed once with their prefix (kDefaultSearchFields).
std::vector<std::string> free_text_terms(std::string_view word) {
  std::string term = stem_of(word);  // word terms are stems
  std::vector<std::string> terms{term};
  for (const FieldSpec* f : kDefaultSearchFields) terms.push_back(make_term(f->prefix, term));
  return terms;
}

}  // namespace

AliasGraph load_alias_graph(const Xapian::Database& db) {
  std::string data = db.get_metadata(std::string(kMetaAliases));
  if (data.empty()) return AliasGraph{};
  return AliasGraph::deserialize(data);
}

void store_alias_graph(Xapian::WritableDatabase& db, const AliasGraph& graph) {
  db.set_metadata(std::string(kMetaAliases), graph.serialize());
}

std::vector<StoredLexicon> stored_lexicons(const Xapian::Database& db) {
  std::vector<StoredLexicon> out;
  const std::string list = db.get_metadata(std::string(kMetaLexicons));
  for (auto line : split_fields(list, '\n')) {
    auto f = split_fields(line, '\t');
    if (f.size() != 6) continue;
    StoredLexicon l;
    l.name = std::string(f[0]);
    l.file = std::string(f[1]);
    l.format = std::string(f[2]);
    l.entries = std::strtoull(std::string(f[3]).c_str(), nullptr, 10);
    l.skipped_lines = std::strtoull(std::string(f[4]).c_str(), nullptr, 10);
    l.imported = std::string(f[5]);
    out.push_back(std::move(l));
  }
  return out;
}

void store_lexicon(Xapian::WritableDatabase& db, const StoredLexicon& info,
                   const std::vector<LexiconEntry>& entries) {
  std::string data;
  for (const auto& e : entries) {
    data += field_text(e.kind) + '\t' + field_text(e.provenance);
    for (const auto& n : e.names) data += '\t' + field_text(n);
    data += '\n';
  }
  auto list = stored_lexicons(db);
  std::erase_if(list, [&](const StoredLexicon& l) { return l.name == info.name; });
  list.push_back(info);
  std::sort(list.begin(), list.end(),
            [](const StoredLexicon& a, const StoredLexicon& b) { return a.name < b.name; });
  db.set_metadata(std::string(kMetaLexiconPrefix) + info.name, data);
  db.set_metadata(std::string(kMetaLexicons), serialize_list(list));
}

bool remove_lexicon(Xapian::WritableDatabase& db, std::string_view name) {
  auto list = stored_lexicons(db);
  auto before = list.size();
  std::erase_if(list, [&](const StoredLexicon& l) { return l.name == name; });
  if (list.size() == before) return false;
  db.set_metadata(std::string(kMetaLexiconPrefix) + std::string(name), "");
  db.set_metadata(std::string(kMetaLexicons), serialize_list(list));
  return true;
}

void copy_lexicons(const Xapian::Database& from, Xapian::WritableDatabase& to) {
  for (const auto& l : stored_lexicons(from))
    store_lexicon(to, l,
                  parse_entries(from.get_metadata(std::string(kMetaLexiconPrefix) + l.name)));
}

std::vector<LexiconEntry> lexicon_entries(const Xapian::Database& db) {
  std::vector<LexiconEntry> out = curated_lexicon();
  for (const auto& l : stored_lexicons(db)) {
    auto entries = parse_entries(db.get_metadata(std::string(kMetaLexiconPrefix) + l.name));
    out.insert(out.end(), std::make_move_iterator(entries.begin()),
               std::make_move_iterator(entries.end()));
  }
  return out;
}

DistinctFn corpus_distinct(const Xapian::Database& db) {
  const std::string prefix(field("drug-primary").prefix);
  return [db, prefix](const std::string& a, const std::string& b) {
    std::string ta = make_term(prefix, a), tb = make_term(prefix, b);
    Xapian::doccount fa = db.get_termfreq(ta);
    if (fa == 0) return false;
    Xapian::doccount fb = db.get_termfreq(tb);
    if (fb == 0) return false;
    if (fa > fb) std::swap(ta, tb);
    auto q = db.postlist_begin(tb);
    const auto q_end = db.postlist_end(tb);
    for (auto p = db.postlist_begin(ta); p != db.postlist_end(ta); ++p) {
      q.skip_to(*p);
      if (q == q_end) return false;
      if (*q == *p) return true;
    }
    return false;
  };
}

AliasExpander load_alias_expander(const Xapian::Database& db) {
  return AliasExpander(load_alias_graph(db), lexicon_entries(db), corpus_distinct(db));
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

// One line of an alias list: mode ('s' strict and on, 'o' on only), scope, tab, term.
void add_line(std::string& list, char mode, AliasScope scope, const std::string& term) {
  list += mode;
  list += static_cast<char>(scope);
  list += '\t';
  list += term;
  list += '\n';
}

// The list's terms in Xapian's synonym table, under the keys QueryParser looks up: the name's
// words, and for a one-word name its drug: and condition: forms.
void add_synonyms(Xapian::WritableDatabase& db, const std::string& key, std::string_view list) {
  const bool one_word = key.find(' ') == std::string::npos;
  for (std::size_t from = 0; from < list.size();) {
    std::size_t end = list.find('\n', from);
    std::string_view line = list.substr(from, end - from);
    from = end == std::string_view::npos ? list.size() : end + 1;
    if (line.size() < 4) continue;
    std::string term(line.substr(3));
    switch (static_cast<AliasScope>(line[1])) {
      case AliasScope::Text:
        db.add_synonym(key, term);
        break;
      case AliasScope::DrugField:
        if (one_word) db.add_synonym(std::string(field("intervention").prefix) + key, term);
        break;
      case AliasScope::ConditionField:
        if (one_word) db.add_synonym(std::string(field("condition").prefix) + key, term);
        break;
    }
  }
}

}  // namespace

SynonymCounts write_alias_lists(Xapian::WritableDatabase& db, const AliasExpander& expander) {
  // Old lists and an older schema's synonym table go first.
  std::vector<std::string> old;
  for (auto it = db.metadata_keys_begin(std::string(kMetaAliasPrefix));
       it != db.metadata_keys_end(std::string(kMetaAliasPrefix)); ++it)
    old.push_back(*it);
  for (const auto& k : old) db.set_metadata(k, "");
  old.clear();
  for (auto it = db.synonym_keys_begin(); it != db.synonym_keys_end(); ++it) old.push_back(*it);
  for (const auto& k : old) db.clear_synonyms(k);

  const std::string intervention_prefix(field("intervention").prefix);
  SynonymCounts counts;
  auto drug_terms = [&](const std::string& key, char mode, std::set<std::string>& seen,
                        std::string& list) {
    std::string dn = drug_name_term(key);
    if (db.term_exists(dn) && seen.insert(dn).second) {
      add_line(list, mode, AliasScope::Text, dn);
      add_line(list, mode, AliasScope::DrugField, dn);
    }
    if (free_text_word(key))
      for (auto& t : free_text_terms(key))
        if (db.term_exists(t) && seen.insert(t).second) add_line(list, mode, AliasScope::Text, t);
    if (single_word(key))
      if (std::string t = make_term(intervention_prefix, stem_of(key));
          db.term_exists(t) && seen.insert(t).second)
        add_line(list, mode, AliasScope::DrugField, t);
  };
  for (const auto& member : expander.drug_keys()) {
    std::string key = synonym_key(member);
    if (key.empty() || key.size() > kMaxAliasKeyBytes) continue;
    auto on = expander.expand(member, AliasMode::On);
    auto strict = expander.expand(member, AliasMode::Strict);
    std::set<std::string> strict_keys;
    for (const auto& r : strict) strict_keys.insert(r.key);
    std::string list;
    std::set<std::string> seen;
    for (const auto& r : strict) drug_terms(r.key, 's', seen, list);
    for (const auto& r : on)
      if (!strict_keys.contains(r.key)) drug_terms(r.key, 'o', seen, list);
    if (list.empty()) continue;
    db.set_metadata(std::string(kMetaAliasPrefix) + key, list);
    add_synonyms(db, key, list);
    ++counts.keys;
    counts.largest = std::max(counts.largest, on.size());
  }
  for (const auto& member : expander.condition_keys()) {
    std::string key = synonym_key(member);
    if (key.empty() || key.size() > kMaxAliasKeyBytes) continue;
    std::string list;
    // An abbreviation typed alone finds the conditions it stands for; a condition's whole name
    // in free text is left to its words (a multi-word synonym would weigh them as one term:
    // SIGIR 2016's "Systemic Lupus Erythematosus" fell from 1.0 to 0.90 nDCG@10).
    const bool one_word = key.find(' ') == std::string::npos;
    for (const auto& other : expander.expand_condition(member))
      if (std::string t = make_term(field("condition-name").prefix, other); db.term_exists(t)) {
        if (one_word) add_line(list, 's', AliasScope::Text, t);
        add_line(list, 's', AliasScope::ConditionField, t);
      }
    if (list.empty()) continue;
    std::string meta = std::string(kMetaAliasPrefix) + key;
    db.set_metadata(meta, db.get_metadata(meta) + list);  // a drug of the same name keeps its list
    add_synonyms(db, key, list);
    ++counts.keys;
  }
  return counts;
}

std::size_t alias_list_count(const Xapian::Database& db) {
  std::size_t n = 0;
  for (auto it = db.metadata_keys_begin(std::string(kMetaAliasPrefix));
       it != db.metadata_keys_end(std::string(kMetaAliasPrefix)); ++it)
    ++n;
  return n;
}

std::vector<std::string> alias_terms(const Xapian::Database& db, std::string_view key,
                                     AliasMode mode, AliasScope scope) {
  std::vector<std::string> out;
  if (mode == AliasMode::Off || key.empty() || key.size() > kMaxAliasKeyBytes) return out;
  const std::string list = db.get_metadata(std::string(kMetaAliasPrefix) + std::string(key));
  for (auto line : split_fields(list, '\n')) {
    if (line.size() < 4 || line[2] != '\t') continue;
    if (line[0] == 'o' && mode != AliasMode::On) continue;
    if (line[1] != static_cast<char>(scope)) continue;
    out.emplace_back(line.substr(3));
  }
  return out;
}

std::set<std::string> alias_terms_excluded(const Xapian::Database& db, std::string_view text,
                                           AliasMode mode) {
  std::set<std::string> excluded;
  if (mode == AliasMode::On) return excluded;
  std::set<std::string> kept;
  std::vector<std::string> words = split_words(text);
  constexpr std::size_t kMaxWordsInName = 4;
  for (std::size_t i = 0; i < words.size(); ++i) {
    std::string key;
    for (std::size_t n = 0; n < kMaxWordsInName && i + n < words.size(); ++n) {
      key += (n ? " " : "") + words[i + n];
      for (auto scope : {AliasScope::Text, AliasScope::DrugField, AliasScope::ConditionField}) {
        for (auto& t : alias_terms(db, key, AliasMode::On, scope)) excluded.insert(std::move(t));
        if (mode == AliasMode::Strict)
          for (auto& t : alias_terms(db, key, AliasMode::Strict, scope)) kept.insert(std::move(t));
      }
    }
  }
  for (const auto& t : kept) excluded.erase(t);
  return excluded;
}

}  // namespace trialsearch
