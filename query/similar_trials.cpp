#include "query/similar_trials.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include <fmt/format.h>

#include "analyzers/alias_graph.hpp"
#include "analyzers/cached_stemmer.hpp"
#include "analyzers/errors.hpp"
#include "analyzers/fields.hpp"
#include "analyzers/strings.hpp"
#include "analyzers/text_fold.hpp"
#include "indexer/document_builder.hpp"
#include "indexer/json_writer.hpp"
#include "indexer/normalize.hpp"
#include "indexer/synonym_table.hpp"
#include "indexer/trial_codec.hpp"
#include "query/hit_json.hpp"
#include "query/ranking.hpp"
#include "query/record_lookup.hpp"
#include "query/searcher.hpp"

namespace trialsearch {
namespace {

// How many feedback terms to take, and how many of them may drive the match (OP_ELITE_SET).
constexpr Xapian::termcount kFeedbackTerms = 40;
constexpr Xapian::termcount kEliteTerms = 30;
// A term in more than this share of all trials does not discriminate.
constexpr double kMaxTermShare = 0.2;

const SimilarGroup* find_group(std::string_view name) {
  for (const auto& g : kSimilarGroups)
    if (g.name == name) return &g;
  return nullptr;
}

double group_weight(std::string_view group) {
  const SimilarGroup* g = find_group(group);
  return g ? g->weight : 1.0;
}

bool in_list(std::string_view names, std::string_view name) {
  while (!names.empty()) {
    auto sp = names.find(' ');
    if (names.substr(0, sp) == name) return true;
    if (sp == std::string_view::npos) break;
    names.remove_prefix(sp + 1);
  }
  return false;
}

// Words that make every trial look like every other. Text terms are stems ("particip"), drug
// names are not ("saline"): the set holds both forms.
bool is_stopword(std::string_view w) {
  static const std::set<std::string, std::less<>> words = [] {
    std::set<std::string, std::less<>> out;
    for (std::string_view word :
         {"the",        "and",       "for",        "with",       "from",     "that",
          "this",       "study",     "trial",      "patients",   "subjects", "participants",
          "are",        "was",       "were",       "will",       "who",      "have",
          "has",        "not",       "all",        "any",        "their",    "been",
          "into",       "than",      "other",      "per",        "after",    "before",
          "during",     "phase",     "versus",     "effect",     "effects",  "evaluate",
          "evaluation", "treatment", "randomized", "controlled", "clinical", "placebo",
          "standard",   "care",      "saline"}) {
      out.emplace(word);
      out.insert(stem_of(word));
    }
    return out;
  }();
  return words.count(w) > 0;
}

class FeedbackDecider : public Xapian::ExpandDecider {
 public:
  FeedbackDecider(const Xapian::Database& db, std::set<std::string> groups,
                  std::set<std::string> drop, std::set<std::string> named)
      : db_(db),
        groups_(std::move(groups)),
        drop_(std::move(drop)),
        named_(std::move(named)),
        max_freq_(static_cast<Xapian::doccount>(kMaxTermShare * db.get_doccount()) + 1) {}

  bool operator()(const std::string& term) const override {
    std::string group = similarity_group(term);
    if (group.empty() || (!groups_.empty() && !groups_.count(group))) return false;
    std::string word;
    const std::string f = field_of_term(term, &word);
    if ((f == "intervention" || f == "mesh" || f == "mesh-term") && !named_.count(term))
      return false;
    if (drop_.count(word) || drop_.count(term)) return false;
    if (word.size() < 3 || is_stopword(word)) return false;
    if (all_digits(word)) return false;
    Xapian::doccount freq = db_.get_termfreq(term);
    // a term only the sources have cannot find another trial; one most trials have cannot rank
    return freq >= 2 && (db_.get_doccount() < 50 || freq <= max_freq_);
  }

 private:
  const Xapian::Database& db_;
  std::set<std::string> groups_;
  std::set<std::string> drop_;
  std::set<std::string> named_;  ///< named_terms() of the sources
  Xapian::doccount max_freq_;
};

std::set<std::string> parse_groups(const std::vector<std::string>& only) {
  std::set<std::string> groups;
  for (const auto& g : only) {
    if (!find_group(g))
      throw UsageError(fmt::format("unknown group '{}' for --only (groups: {})", shown_input(g),
                                   similar_group_names(" ")));
    groups.insert(g);
  }
  return groups;
}

std::set<std::string> parse_drops(const std::vector<std::string>& drop) {
  std::set<std::string> out;
  for (const auto& d : drop) {
    out.insert(d);
    out.insert(fold(d));
    out.insert(stem_of(fold(d)));  // text terms are stems
    out.insert(alias_key(d));
  }
  return out;
}

// Each stem of the sources' own words -> the first word that stems to it, so that --explain
// shows "participants", not the term's "particip".
std::map<std::string, std::string> spellings_of(const std::vector<Trial>& sources) {
  std::map<std::string, std::string> out;
  auto add = [&](std::string_view text) {
    for (auto& word : split_words(fold(text))) out.try_emplace(stem_of(word), std::move(word));
  };
  for (const Trial& t : sources) {
    add(t.brief_title);
    add(t.official_title);
    for (const auto& c : t.conditions) add(c);
    for (const auto& k : t.keywords) add(k);
    for (const auto& i : t.interventions) {
      add(i.name);
      for (const auto& o : i.other_names) add(o);
    }
    for (const auto* list : {&t.condition_mesh, &t.intervention_mesh, &t.condition_mesh_ancestors,
                             &t.intervention_mesh_ancestors})
      for (const auto& m : *list) add(m);
    add(t.brief_summary);
    add(t.detailed_description);
  }
  return out;
}

// The term's word as the sources spell it when they have a word stemming to it.
std::string shown_word(const std::string& term, const std::map<std::string, std::string>& spelled) {
  std::string word;
  field_of_term(term, &word);
  auto it = spelled.find(word);
  return it == spelled.end() ? word : it->second;
}

// A drug and its aliases are one concept: the drug-name, drug-code and one-word intervention
// terms of names that the database's alias lists join. Returns, for each term of `terms`, the
// index of its concept's first term (itself when it stands alone).
std::vector<std::size_t> drug_concepts(const Xapian::Database& db,
                                       const std::vector<std::string>& terms) {
  std::vector<std::size_t> parent(terms.size());
  for (std::size_t i = 0; i < terms.size(); ++i) parent[i] = i;
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < terms.size(); ++i) index.emplace(terms[i], i);
  auto find = [&](std::size_t i) {
    while (parent[i] != i) i = parent[i] = parent[parent[i]];
    return i;
  };
  auto join = [&](std::size_t i, const std::string& other) {
    auto it = index.find(other);
    if (it == index.end()) return;
    std::size_t a = find(i), b = find(it->second);
    if (a != b) parent[std::max(a, b)] = std::min(a, b);
  };
  const std::string_view drug_name = field("drug-name").prefix;
  for (std::size_t i = 0; i < terms.size(); ++i) {
    if (!terms[i].starts_with(drug_name)) continue;
    std::string key = terms[i].substr(drug_name.size());
    join(i, make_term(field("drug-code").prefix, key));
    if (key.find(' ') == std::string::npos)
      join(i, make_term(field("intervention").prefix, stem_of(key)));
    for (const auto& t : alias_terms(db, synonym_key(key), AliasMode::On, AliasScope::DrugField))
      join(i, t);
  }
  for (std::size_t i = 0; i < terms.size(); ++i) parent[i] = find(i);
  return parent;
}

// What the sources are about: their conditions' MeSH descriptors and their condition names, as
// the filter terms the indexer gives every trial -> the name as the sources spell it.
std::map<std::string, std::string> condition_concepts(const std::vector<Trial>& sources) {
  std::map<std::string, std::string> concepts;
  for (const Trial& t : sources) {
    for (const auto& m : t.condition_mesh)
      if (std::string v = filter_value(m); !v.empty())
        concepts.emplace(make_term(field("mesh-term").prefix, v), m);
    for (const auto& c : t.conditions)
      if (std::string key = alias_key(c); !key.empty())
        concepts.emplace(make_term(field("condition-name").prefix, key), c);
  }
  return concepts;
}

// The terms the sources name things by, for the fields whose other terms mislead: the words of
// their intervention names and other names (not of the descriptions: "dose", "day", "incision",
// "identified" make trials alike for the wrong reason; nor a code's letters, "bms" of
// "BMS-986353", a sponsor's: the code itself is a drug-code term), and their MeSH descriptors'
// words and names (not the tree ancestors' that thousands of trials share: "neoplasms",
// "modulators, tubulin").
std::set<std::string> named_terms(const std::vector<Trial>& sources) {
  std::set<std::string> terms;
  auto add_words = [&](std::string_view prefix, std::string_view name) {
    std::vector<std::string> words = split_words(fold(name));
    for (std::size_t w = 0; w < words.size(); ++w) {
      if (w + 1 < words.size() && all_digits(words[w + 1]) && !all_digits(words[w])) continue;
      terms.insert(make_term(prefix, stem_of(words[w])));
    }
  };
  for (const Trial& t : sources) {
    for (const auto& i : t.interventions) {
      add_words(field("intervention").prefix, i.name);
      for (const auto& o : i.other_names) add_words(field("intervention").prefix, o);
    }
    for (const auto* list : {&t.condition_mesh, &t.intervention_mesh})
      for (const auto& m : *list) {
        add_words(field("mesh").prefix, m);
        if (std::string v = filter_value(m); !v.empty())
          terms.insert(make_term(field("mesh-term").prefix, v));
      }
  }
  return terms;
}

// Whether suggestions that share a condition concept with the sources come first: always, unless
// --only leaves conditions and MeSH out (drug neighbours, or words alone, were asked for).
bool conditions_first(const std::set<std::string>& groups) {
  return groups.empty() || groups.count("condition") || groups.count("mesh");
}

}  // namespace

std::string similarity_group(std::string_view term) {
  if (term.empty()) return {};
  std::string f = field_of_term(term);
  for (const auto& g : kSimilarGroups)
    if (in_list(g.fields, f)) return std::string(g.name);
  return {};
}

std::string similar_group_names(std::string_view separator) {
  std::string out;
  for (const auto& g : kSimilarGroups)
    out += (out.empty() ? "" : std::string(separator)) + std::string(g.name);
  return out;
}

SimilarResult find_similar(const Xapian::Database& db, const SimilarOptions& options) {
  if (options.ids.empty())
    throw UsageError("similar needs at least one NCT id (or - to read them from stdin)");
  const std::set<std::string> groups = parse_groups(options.only);
  SimilarResult result;
  Xapian::RSet rset;
  std::vector<Xapian::Query> sources;
  std::vector<Trial> source_trials;
  for (const auto& id : options.ids) {
    auto docid = find_docid(db, id);
    if (!docid) throw RuntimeError(fmt::format("no trial {} in the database", shown_input(id)));
    rset.add_document(*docid);
    source_trials.push_back(trial_from_record(db.get_document(*docid).get_data()));
    sources.emplace_back(id_term(trim(id)));
    result.sources.push_back(std::string(trim(id)));
  }

  FeedbackDecider decider(db, groups, parse_drops(options.drop), named_terms(source_trials));
  Xapian::Enquire enquire(db);
  // Exact term frequencies: over several databases (a shard set) Xapian would estimate them.
  Xapian::ESet eset =
      enquire.get_eset(kFeedbackTerms, rset, Xapian::Enquire::USE_EXACT_TERMFREQ, &decider);
  break_ties_by_id(enquire);
  // Words are shown (terms, --explain) only with records.
  const auto spelled = options.explain || options.records ? spellings_of(source_trials)
                                                          : std::map<std::string, std::string>{};
  std::vector<std::string> eset_terms(eset.begin(), eset.end());
  const std::vector<std::size_t> concept_of = drug_concepts(db, eset_terms);
  // Each concept once: its terms as one synonym, weighed as its best term. (Not OP_MAX, which
  // would not depend on Xapian's estimate of the group's frequency: Xapian 1.4.22 crashes in
  // get_mset on an OP_MAX over several databases, a shard set, measured.)
  std::map<std::size_t, std::vector<std::string>> members;
  std::map<std::size_t, double> concept_weight;
  std::map<std::string, std::size_t> concept_by_term;
  std::size_t i = 0;
  for (auto it = eset.begin(); it != eset.end(); ++it, ++i) {
    SharedTerm t;
    t.term = *it;
    t.group = similarity_group(t.term);
    t.word = shown_word(t.term, spelled);
    t.weight = it.get_weight() * group_weight(t.group);
    const std::size_t c = concept_of[i];
    members[c].push_back(t.term);
    concept_weight[c] = std::max(concept_weight[c], t.weight);
    concept_by_term[t.term] = c;
    if (c == i) {
      result.terms.push_back(std::move(t));
    } else {  // shown once, with its other names
      auto head = std::find_if(result.terms.begin(), result.terms.end(),
                               [&](const SharedTerm& x) { return x.term == eset_terms[c]; });
      if (head != result.terms.end() && head->word.find(t.word) == std::string::npos)
        head->word += " = " + t.word;
    }
  }
  for (auto& t : result.terms) t.weight = concept_weight[concept_by_term[t.term]];
  // The elite set: the kEliteTerms heaviest concepts by their feedback weight. Chosen here,
  // not with OP_ELITE_SET, which chooses by each database's weight bounds and so picks other
  // terms on each shard of a shard set than on one database of the same trials.
  std::vector<std::pair<double, std::size_t>> heaviest;
  for (const auto& [c, terms] : members) heaviest.emplace_back(concept_weight[c], c);
  std::stable_sort(heaviest.begin(), heaviest.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  if (heaviest.size() > kEliteTerms) heaviest.resize(kEliteTerms);
  std::vector<Xapian::Query> weighted;
  std::map<std::string, double> weight_of;
  for (const auto& [weight, c] : heaviest) {
    const auto& terms = members[c];
    Xapian::Query q = terms.size() == 1
                          ? Xapian::Query(terms.front())
                          : Xapian::Query(Xapian::Query::OP_SYNONYM, terms.begin(), terms.end());
    weighted.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, q, weight);
  }
  for (const auto& [c, terms] : members)
    for (const auto& t : terms) weight_of[t] = concept_weight[c];
  std::sort(result.terms.begin(), result.terms.end(),
            [](const SharedTerm& a, const SharedTerm& b) { return a.weight > b.weight; });
  if (weighted.empty()) return result;  // nothing informative to go on

  Xapian::Query query(Xapian::Query::OP_OR, weighted.begin(), weighted.end());
  query = Xapian::Query(Xapian::Query::OP_AND_NOT, query,
                        Xapian::Query(Xapian::Query::OP_OR, sources.begin(), sources.end()));
  if (!options.filters.empty()) {
    TrialQueryParser parser(db);
    query = Xapian::Query(Xapian::Query::OP_FILTER, query, parser.filter(options.filters));
  }
  const std::map<std::string, std::string> concepts = conditions_first(groups)
                                                          ? condition_concepts(source_trials)
                                                          : std::map<std::string, std::string>{};
  auto append_hits = [&](const Xapian::MSet& mset, std::size_t wanted) {
    for (const auto& it : settled_page(mset, wanted)) {
      SimilarHit hit;
      hit.rank = result.hits.size() + 1;
      hit.weight = it.get_weight();
      Xapian::Document doc = it.get_document();
      if (!options.records) {
        hit.trial.nct_id = nct_id_of(doc);
      } else {
        hit.trial = trial_from_record(doc.get_data());
      }
      if (options.explain) {
        std::set<std::size_t> concepts_shown;
        for (auto t = enquire.get_matching_terms_begin(it); t != enquire.get_matching_terms_end(it);
             ++t) {
          if (auto about = concepts.find(*t); about != concepts.end()) {
            const std::string& name = about->second;
            if (std::find(hit.same_conditions.begin(), hit.same_conditions.end(), name) ==
                hit.same_conditions.end())
              hit.same_conditions.push_back(name);
            continue;
          }
          auto c = concept_by_term.find(*t);
          if (c == concept_by_term.end()) continue;  // a filter's term, not something shared
          if (!concepts_shown.insert(c->second).second) continue;
          SharedTerm s;
          s.term = *t;
          s.group = similarity_group(s.term);
          s.word = shown_word(s.term, spelled);
          s.weight = weight_of.count(s.term) ? weight_of[s.term] : 0;
          hit.shared.push_back(std::move(s));
        }
        std::sort(hit.shared.begin(), hit.shared.end(),
                  [](const SharedTerm& a, const SharedTerm& b) { return a.weight > b.weight; });
      }
      result.hits.push_back(std::move(hit));
    }
  };
  // The condition is what a trial is about: the suggestions that share a condition concept with
  // the sources are ranked first (the first tier), the others only fill the rest of the page.
  std::vector<Xapian::Query> tiers;
  if (concepts.empty()) {
    tiers.push_back(query);
  } else {
    std::vector<Xapian::Query> terms;
    for (const auto& [term, name] : concepts) terms.emplace_back(term);
    Xapian::Query about(Xapian::Query::OP_OR, terms.begin(), terms.end());
    tiers.emplace_back(Xapian::Query::OP_FILTER, query, about);
    tiers.emplace_back(Xapian::Query::OP_AND_NOT, query, about);
  }
  for (const auto& tier : tiers) {
    if (result.hits.size() >= options.limit) break;
    enquire.set_query(tier);
    const std::size_t wanted = options.limit - result.hits.size();
    Xapian::MSet mset = enquire.get_mset(0, static_cast<Xapian::doccount>(wanted) + kTieMargin);
    append_hits(mset, wanted);
  }
  return result;
}

namespace {

void write_terms(JsonWriter& w, const std::vector<SharedTerm>& terms) {
  w.begin_array();
  for (const auto& t : terms)
    w.begin_object()
        .key("group")
        .value(t.group)
        .key("term")
        .value(t.term)
        .key("word")
        .value(t.word)
        .key("weight")
        .value(t.weight)
        .end_object();
  w.end_array();
}

}  // namespace

std::string similar_hit_to_json(const SimilarHit& hit) {
  JsonWriter w;
  begin_hit_json(w, hit.rank, hit.weight, std::nullopt, hit.trial);
  if (!hit.shared.empty()) {
    w.key("shared");
    write_terms(w, hit.shared);
  }
  w.field_if("same_conditions", hit.same_conditions);
  w.end_object();
  return w.take();
}

std::string similar_result_to_json(const SimilarResult& r) {
  JsonWriter w;
  w.begin_object();
  w.key("sources").begin_array();
  for (const auto& s : r.sources) w.value(s);
  w.end_array();
  w.key("terms");
  write_terms(w, r.terms);
  w.key("results").begin_array();
  for (const auto& h : r.hits) w.raw(similar_hit_to_json(h));
  w.end_array();
  w.end_object();
  return w.take();
}

}  // namespace trialsearch
