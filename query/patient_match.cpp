#include "query/patient_match.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <map>
#include <set>

#include <fmt/format.h>

#include "analyzers/alias_graph.hpp"
#include "analyzers/cached_stemmer.hpp"
#include "analyzers/fields.hpp"
#include "analyzers/strings.hpp"
#include "indexer/document_builder.hpp"
#include "indexer/json_writer.hpp"
#include "indexer/synonym_table.hpp"
#include "query/hit_snippet.hpp"
#include "query/ranking.hpp"
#include "query/record_lookup.hpp"
#include "query/trial_database.hpp"
#include "query/trial_query_parser.hpp"

namespace trialsearch {
namespace {

// Every figure below was measured with scripts/eval-relevance on TREC 2022 and SIGIR 2016
// (BENCHMARKS.md, "match"), the whole set at once.

// BM25 k1 for match: a description's words saturate sooner than a short query's.
constexpr double kMatchBm25K1 = 4.0;
// The concepts' phrases in the fields that say what a trial is about, against the words' weight.
constexpr double kConceptWeight = 0.5;
constexpr auto kConceptFields = std::to_array<const FieldSpec*>(
    {&field("condition"), &field("title"), &field("keyword"), &field("mesh")});
// The fields a description's words are scored in: the free-text index (titles, conditions,
// interventions, keywords, MeSH...), summary and eligibility. Not outcomes (measured worse).
constexpr auto kWordFields =
    std::to_array<const FieldSpec*>({nullptr, &field("summary"), &field("eligibility")});
// A trial whose age limits or sex exclude the patient keeps this share of its weight (each);
// ranked lower rather than left out, since a filter measured worse.
constexpr double kExcludedFactor = 0.5;
// A description of more than kFirstPassWords scored words is ranked in two passes: its
// kFirstPassWords rarest words and its concepts find kCandidates trials, which the whole query
// then ranks. At 100,000 studies this halved match's time (BENCHMARKS.md, "match"): the
// common words' long posting lists are only skipped through at the candidates.
constexpr std::size_t kFirstPassWords = 24;
constexpr Xapian::doccount kCandidates = 500;
// The best matches re-ranked by eligibility: the page comes from them.
constexpr Xapian::doccount kRerankDepth = 200;
// A name found only among the trials' keywords is a concept when its rarest word is in at most
// this share of the trials (in free text, summary or eligibility): keywords are free text, and
// "history", "physical examination", "blood pressure" or "female" are keywords of some trial.
// Measured at 0.2% to 20%, and without a limit (docs/benchmarks, "match: keywords").
constexpr double kKeywordMaxShare = 0.005;
constexpr double kDaysPerYear = 365.0;
// What the indexer stores for a trial without a maximum age (document_builder).
constexpr double kNoMaxAgeDays = 1e6;

std::string words_from(const PatientText& p, std::size_t first, std::size_t n) {
  std::string out;
  for (std::size_t i = first; i < first + n; ++i) out += (i > first ? " " : "") + p.words[i];
  return out;
}

// The prefix of a field; none (the free-text index) for nullptr.
std::string prefix_of(const FieldSpec* spec) {
  return spec ? std::string(spec->prefix) : std::string();
}

// The vocabularies that hold `name`, as a listed condition, a MeSH term, an intervention
// name, a keyword, or a key with an alias list.
std::vector<std::string> sources_of(const Xapian::Database& db, const std::string& name) {
  std::vector<std::string> sources;
  const std::string key = alias_key(name);
  if (key.empty()) return sources;
  if (db.term_exists(make_term(field("condition-name").prefix, key)))
    sources.emplace_back("condition");
  if (db.term_exists(make_term(field("mesh-term").prefix, filter_value(name))))
    sources.emplace_back("mesh");
  if (db.term_exists(make_term(field("drug-name").prefix, key))) sources.emplace_back("drug");
  if (db.term_exists(make_term(field("keyword-name").prefix, key))) sources.emplace_back("keyword");
  if (!alias_terms(db, key, AliasMode::On, AliasScope::DrugField).empty() ||
      !alias_terms(db, key, AliasMode::On, AliasScope::ConditionField).empty())
    sources.emplace_back("alias");
  return sources;
}

// The most trials a stem is in, over the fields of kWordFields; the fields' terms that exist go
// into `terms` when given.
Xapian::doccount word_frequency(const Xapian::Database& db, const std::string& stem,
                                std::vector<std::string>* terms = nullptr) {
  Xapian::doccount most = 0;
  for (auto f : kWordFields) {
    std::string term = make_term(prefix_of(f), stem);
    const Xapian::doccount tf = db.get_termfreq(term);
    if (tf == 0) continue;
    most = std::max(most, tf);
    if (terms) terms->push_back(std::move(term));
  }
  return most;
}

// Whether the words first..first+n of `p` are specific enough to be a concept that only keywords
// name: the rarest of them is in at most kKeywordMaxShare of the trials, in a field of
// kWordFields, or in one trial.
bool is_specific(const Xapian::Database& db, const PatientText& p, std::size_t first,
                 std::size_t n) {
  Xapian::doccount rarest = db.get_doccount();
  for (std::size_t i = first; i < first + n; ++i)
    rarest = std::min(rarest, word_frequency(db, stem_of(p.words[i])));
  // one trial is always few (a database of under 200 trials)
  return rarest <= std::max(1.0, kKeywordMaxShare * db.get_doccount());
}

// The longest names of the vocabulary in each clause, each run of words of one role; a name
// inside a longer one found already is not listed again, unless only keywords name the longer
// one (a keyword is weaker evidence than a listed condition, a MeSH term or a drug: measured
// better, docs/benchmarks "match: keywords"); a name only keywords name is kept when specific.
std::vector<PatientConcept> find_concepts(const Xapian::Database& db, const PatientText& p) {
  std::vector<PatientConcept> found;
  for (std::size_t c = 0; c < p.clause_starts.size(); ++c) {
    const std::size_t start = p.clause_starts[c], end = p.clause_end(start);
    std::vector<bool> taken(end - start, false);
    for (std::size_t n = std::min(kMaxConceptWords, end - start); n >= 1; --n) {
      for (std::size_t i = start; i + n <= end; ++i) {
        const WordRole role = p.roles[i];
        bool one_role = true;
        for (std::size_t k = i; k < i + n; ++k) one_role &= p.roles[k] == role;
        if (!one_role || is_narrative_stopword(p.words[i]) ||
            is_narrative_stopword(p.words[i + n - 1]))
          continue;
        if (n == 1 && (p.words[i].size() < 3 || all_digits(p.words[i]))) continue;
        if (std::all_of(taken.begin() + (i - start), taken.begin() + (i - start + n),
                        [](bool t) { return t; }))
          continue;
        std::string name = words_from(p, i, n);
        auto sources = sources_of(db, name);
        if (sources.empty()) continue;
        const bool keyword_only = sources == std::vector<std::string>{"keyword"};
        if (keyword_only && !is_specific(db, p, i, n)) continue;
        if (!keyword_only)
          std::fill(taken.begin() + (i - start), taken.begin() + (i - start + n), true);
        // listed once per role: the first place it is found
        if (std::none_of(found.begin(), found.end(),
                         [&](const PatientConcept& f) { return f.name == name && f.role == role; }))
          found.push_back({std::move(name), std::move(sources), role, i, n});
      }
    }
  }
  std::sort(found.begin(), found.end(), [](const PatientConcept& a, const PatientConcept& b) {
    return a.first_word < b.first_word;
  });
  return found;
}

// A concept's phrase in one field (its stems, in order).
Xapian::Query concept_phrase(const PatientText& p, const PatientConcept& c, const FieldSpec* spec) {
  std::vector<Xapian::Query> terms;
  for (std::size_t i = c.first_word; i < c.first_word + c.word_count; ++i)
    terms.emplace_back(make_term(prefix_of(spec), stem_of(p.words[i])));
  if (terms.size() == 1) return terms.front();
  return Xapian::Query(Xapian::Query::OP_PHRASE, terms.begin(), terms.end(),
                       static_cast<Xapian::termcount>(terms.size()));
}

Xapian::Query concepts_query(const Xapian::Database& db, const PatientText& p,
                             const std::vector<PatientConcept>& concepts) {
  std::vector<Xapian::Query> parts;
  for (const auto& c : concepts) {
    if (c.role != WordRole::Positive) continue;
    for (auto f : kConceptFields) parts.push_back(concept_phrase(p, c, f));
    if (std::find(c.sources.begin(), c.sources.end(), "alias") == c.sources.end()) continue;
    for (auto scope : {AliasScope::DrugField, AliasScope::ConditionField})
      for (const auto& t : alias_terms(db, alias_key(c.name), AliasMode::On, scope))
        parts.emplace_back(t);
  }
  if (parts.empty()) return {};
  return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                       Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end()),
                       kConceptWeight);
}

struct ScoredWord {
  std::string stem;
  std::string word;  ///< as first written
  unsigned count = 0;
  double heft = 0;  ///< count x idf: the heaviest are kept
  std::vector<std::string> terms;
};

// The description's words, each counted, in the fields of kWordFields; the kMaxMatchScoredWords
// heaviest. Negated words are kept here (only concepts are the patient's own): without them
// TREC 2022 fell from 0.66 to 0.63 (docs/benchmarks, "match"), since a trial's text names what
// its patients must not have as well. A relative's words are not the patient's at all ("mother
// had breast cancer" ranked breast-cancer trials for a melanoma patient): left out, TREC 0.6578
// -> 0.6572, SIGIR 0.4663 unchanged.
std::vector<ScoredWord> scored_words(const Xapian::Database& db, const PatientText& p,
                                     std::size_t& read) {
  std::map<std::string, ScoredWord> by_stem;
  for (std::size_t i = 0; i < p.words.size(); ++i) {
    const auto& w = p.words[i];
    if (is_narrative_stopword(w) || all_digits(w)) continue;
    if (i < p.roles.size() && p.roles[i] == WordRole::Family) continue;
    ScoredWord& s = by_stem[stem_of(w)];
    if (s.count++ == 0) s.word = w;
  }
  std::vector<ScoredWord> out;
  const double docs = std::max<double>(1, db.get_doccount());
  for (auto& [stem, s] : by_stem) {
    const Xapian::doccount most = word_frequency(db, stem, &s.terms);
    if (most == 0) continue;
    s.stem = stem;
    s.heft = s.count * std::log(1.0 + docs / most);
    out.push_back(std::move(s));
  }
  read = out.size();
  if (out.size() > kMaxMatchScoredWords) {
    std::nth_element(out.begin(), out.begin() + kMaxMatchScoredWords, out.end(),
                     [](const ScoredWord& a, const ScoredWord& b) { return a.heft > b.heft; });
    out.resize(kMaxMatchScoredWords);
  }
  return out;
}

// `q` restricted to the trials every query of `filters` matches.
Xapian::Query filtered(const Xapian::Query& q, const std::vector<Xapian::Query>& filters) {
  if (filters.empty() || q.empty()) return q;
  return Xapian::Query(Xapian::Query::OP_FILTER, q,
                       Xapian::Query(Xapian::Query::OP_AND, filters.begin(), filters.end()));
}

Xapian::Query words_query(const std::vector<ScoredWord>& words) {
  std::vector<Xapian::Query> parts;
  for (const auto& w : words) {
    Xapian::Query any(Xapian::Query::OP_OR, w.terms.begin(), w.terms.end());
    parts.push_back(w.count == 1 ? any
                                 : Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, any, w.count));
  }
  if (parts.empty()) return {};
  return Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end());
}

// The trials whose age limits and sex admit the patient (absent limits admit).
Xapian::Query eligibility_filter(const std::optional<double>& age, const std::string& sex) {
  std::vector<Xapian::Query> parts;
  if (age) {
    const double days = *age * kDaysPerYear;
    parts.emplace_back(Xapian::Query::OP_VALUE_LE, kSlotMinAgeDays,
                       Xapian::sortable_serialise(days));
    parts.emplace_back(Xapian::Query::OP_VALUE_GE, kSlotMaxAgeDays,
                       Xapian::sortable_serialise(days));
  }
  if (!sex.empty())
    parts.emplace_back(Xapian::Query::OP_OR, Xapian::Query(filter_term(field("sex"), sex)),
                       Xapian::Query(filter_term(field("sex"), "all")));
  if (parts.empty()) return {};
  return Xapian::Query(Xapian::Query::OP_AND, parts.begin(), parts.end());
}

// What a trial's record says about who may join, for the patient.
struct Eligibility {
  double min_days = 0, max_days = 0;
  std::string sex;  ///< "all", "female", "male", or empty when the record does not say
  bool age_ok = true, sex_ok = true;
};

std::string years(double days) {
  double y = days / kDaysPerYear;
  if (y >= 1) return fmt::format("{:g} years", std::floor(y * 10 + 0.5) / 10);
  return fmt::format("{:g} months", std::floor(days / (kDaysPerYear / 12) * 10 + 0.5) / 10);
}

void check_eligibility(Eligibility& e, const std::optional<double>& age, const std::string& sex) {
  if (age) e.age_ok = e.min_days <= *age * kDaysPerYear && *age * kDaysPerYear <= e.max_days;
  if (!sex.empty()) e.sex_ok = e.sex.empty() || e.sex == "all" || e.sex == sex;
}

constexpr const char* kSexes[] = {"all", "female", "male"};

// The eligibility of each document of `ids`: value streams and sex postlists walked once,
// alongside the ids in ascending order.
std::map<Xapian::docid, Eligibility> eligibility_of(const Xapian::Database& db,
                                                    std::vector<Xapian::docid> ids,
                                                    const std::optional<double>& age,
                                                    const std::string& sex) {
  std::sort(ids.begin(), ids.end());
  std::map<Xapian::docid, Eligibility> out;
  auto lo = db.valuestream_begin(kSlotMinAgeDays), hi = db.valuestream_begin(kSlotMaxAgeDays);
  const auto end = db.valuestream_end(kSlotMinAgeDays);
  std::vector<std::pair<std::string, Xapian::PostingIterator>> sexes;
  for (const char* s : kSexes)
    sexes.emplace_back(s, db.postlist_begin(filter_term(field("sex"), s)));
  for (Xapian::docid id : ids) {
    Eligibility& e = out[id];
    if (lo != end) lo.skip_to(id);
    if (hi != end) hi.skip_to(id);
    e.min_days = lo != end && lo.get_docid() == id ? Xapian::sortable_unserialise(*lo) : 0;
    e.max_days =
        hi != end && hi.get_docid() == id ? Xapian::sortable_unserialise(*hi) : kNoMaxAgeDays;
    for (auto& [name, post] : sexes) {
      if (post == db.postlist_end(filter_term(field("sex"), name))) continue;
      post.skip_to(id);
      if (post != db.postlist_end(filter_term(field("sex"), name)) && *post == id) e.sex = name;
    }
    check_eligibility(e, age, sex);
  }
  return out;
}

// The same for a shard set, whose value streams and posting lists would cross the network
// whole: the age limits from the documents' values, the sex from one filtered query per value
// (a round trip each).
std::map<Xapian::docid, Eligibility> shard_set_eligibility_of(const Xapian::Database& db,
                                                              const std::vector<Xapian::docid>& ids,
                                                              const std::optional<double>& age,
                                                              const std::string& sex) {
  std::map<Xapian::docid, Eligibility> out;
  std::vector<Xapian::Query> id_terms;
  for (Xapian::docid id : ids) {
    Xapian::Document doc = db.get_document(id);
    Eligibility& e = out[id];
    const std::string min = doc.get_value(kSlotMinAgeDays), max = doc.get_value(kSlotMaxAgeDays);
    e.min_days = min.empty() ? 0 : Xapian::sortable_unserialise(min);
    e.max_days = max.empty() ? kNoMaxAgeDays : Xapian::sortable_unserialise(max);
    id_terms.emplace_back(id_term(nct_id_of(doc)));
  }
  if (!id_terms.empty()) {
    const Xapian::Query these(Xapian::Query::OP_OR, id_terms.begin(), id_terms.end());
    Xapian::Enquire enquire(db);
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    for (const char* s : kSexes) {
      enquire.set_query(Xapian::Query(Xapian::Query::OP_FILTER, these,
                                      Xapian::Query(filter_term(field("sex"), s))));
      const Xapian::MSet m = enquire.get_mset(0, static_cast<Xapian::doccount>(ids.size()));
      for (auto it = m.begin(); it != m.end(); ++it) out[*it].sex = s;
    }
  }
  for (auto& [id, e] : out) check_eligibility(e, age, sex);
  return out;
}

std::string eligibility_line(const Eligibility& e, const MatchResult& m) {
  std::vector<std::string> parts;
  if (m.age_years) {
    const bool no_min = e.min_days <= 0, no_max = e.max_days >= kNoMaxAgeDays;
    std::string limits = no_min && no_max ? "none"
                         : no_max         ? fmt::format("{} and over", years(e.min_days))
                         : no_min         ? fmt::format("up to {}", years(e.max_days))
                                  : fmt::format("{} to {}", years(e.min_days), years(e.max_days));
    parts.push_back(fmt::format("age {} {} the trial's age limits ({})",
                                years(*m.age_years * kDaysPerYear), e.age_ok ? "within" : "outside",
                                limits));
  }
  if (!m.sex.empty())
    parts.push_back(fmt::format("sex {} {} (trial: {})", m.sex, e.sex_ok ? "admitted" : "excluded",
                                e.sex.empty() ? "not stated" : e.sex));
  if (parts.empty()) return "no age or sex known: not checked";
  std::string line = fmt::format("{}", fmt::join(parts, "; "));
  if (!e.age_ok || !e.sex_ok) line += ": ranked lower";
  return line;
}

std::string concept_label(const PatientConcept& c) {
  return fmt::format("{} ({})", c.name, fmt::join(c.sources, ", "));
}

std::vector<std::string> summary(const MatchResult& m, const MatchOptions& o) {
  std::vector<std::string> lines;
  auto list = [&](WordRole role, std::string_view heading) {
    std::vector<std::string> names;
    for (const auto& c : m.concepts)
      if (c.role == role) names.push_back(concept_label(c));
    lines.push_back(fmt::format(
        "{}: {}", heading, names.empty() ? "none" : fmt::format("{}", fmt::join(names, "; "))));
  };
  std::string age = m.age_years ? years(*m.age_years * kDaysPerYear) : "not stated";
  if (m.age_years)
    age += m.age_given ? " (given)" : fmt::format(" (read from \"{}\")", m.patient.age_phrase);
  std::string sex = m.sex.empty() ? "not stated" : m.sex;
  if (!m.sex.empty())
    sex += m.sex_given ? " (given)" : fmt::format(" (read from \"{}\")", m.patient.sex_word);
  lines.push_back(fmt::format("patient: age {}, sex {}", age, sex));
  list(WordRole::Positive, "concepts");
  list(WordRole::Negated, "negated (words scored, not concepts)");
  list(WordRole::Family, "about relatives (neither concepts nor scored words)");
  lines.push_back(fmt::format("words scored: {} of {} distinct (the rarest kept, at most {})",
                              m.words_scored, m.words_read, kMaxMatchScoredWords));
  lines.push_back(o.eligible_only
                      ? "eligibility: only trials whose age limits and sex admit the patient"
                      : "eligibility: trials whose age limits or sex exclude the patient are "
                        "ranked lower");
  return lines;
}

// Why a hit matched: the concepts it has (the first field with the whole phrase), the words,
// and its eligibility.
void explain_match(const Xapian::Enquire& enquire, Xapian::docid id, const MatchResult& m,
                   const std::vector<ScoredWord>& words, const Eligibility& e, Hit& hit) {
  std::set<std::string> matching(enquire.get_matching_terms_begin(id),
                                 enquire.get_matching_terms_end(id));
  for (const auto& c : m.concepts) {
    if (c.role != WordRole::Positive) continue;
    for (auto f : kConceptFields) {
      Xapian::Query q = concept_phrase(m.patient, c, f);
      bool all = std::all_of(q.get_unique_terms_begin(), q.get_unique_terms_end(),
                             [&](const std::string& t) { return matching.count(t) > 0; });
      if (!all) continue;
      hit.matched.push_back({std::string(f->name), *q.get_unique_terms_begin(), c.name,
                             fmt::format("concept from {}", fmt::join(c.sources, ", "))});
      break;
    }
  }
  std::vector<std::string> found;
  for (const auto& w : words)
    if (std::any_of(w.terms.begin(), w.terms.end(),
                    [&](const std::string& t) { return matching.count(t) > 0; }))
      found.push_back(w.word);
  if (!found.empty())
    hit.matched.push_back({"text", "", fmt::format("{}", fmt::join(found, " ")),
                           fmt::format("{} of {} words scored", found.size(), words.size())});
  hit.matched.push_back({"eligibility", "", eligibility_line(e, m), ""});
}

}  // namespace

MatchResult match_patient(const Xapian::Database& db, const MatchOptions& options) {
  const SearchOptions& so = options.search;
  MatchResult m;
  m.patient = read_patient_text(options.text);
  m.age_given = options.age_years.has_value();
  m.age_years = m.age_given ? options.age_years : m.patient.age_years;
  m.sex_given = !options.sex.empty();
  m.sex = m.sex_given ? options.sex : m.patient.sex;
  m.concepts = find_concepts(db, m.patient);
  const auto words = scored_words(db, m.patient, m.words_read);
  m.words_scored = words.size();

  const Xapian::Query concepts = concepts_query(db, m.patient, m.concepts);
  auto with_concepts = [&](Xapian::Query q) {
    if (concepts.empty()) return q;
    return q.empty() ? concepts : Xapian::Query(Xapian::Query::OP_OR, q, concepts);
  };
  Xapian::Query scored = with_concepts(words_query(words));
  TrialQueryParser parser(db);
  std::vector<Xapian::Query> filters;
  if (!so.filters.empty()) filters.push_back(parser.filter(so.filters));
  if (options.eligible_only)
    if (Xapian::Query e = eligibility_filter(m.age_years, m.sex); !e.empty()) filters.push_back(e);
  const Xapian::Query query =
      filtered(scored.empty() ? Xapian::Query::MatchNothing : scored, filters);
  SearchResult& r = m.result;
  r.query = options.text;
  r.parsed = query.get_description();

  Xapian::Enquire enquire(db);
  enquire.set_weighting_scheme(ranking_weight(kMatchBm25K1));
  break_ties_by_id(enquire);
  enquire.set_query(query);
  if (words.size() > kFirstPassWords) {
    std::vector<ScoredWord> rarest = words;
    std::sort(rarest.begin(), rarest.end(),
              [](const ScoredWord& a, const ScoredWord& b) { return a.heft > b.heft; });
    rarest.resize(kFirstPassWords);
    Xapian::Enquire first_pass(db);
    first_pass.set_weighting_scheme(ranking_weight(kMatchBm25K1));
    break_ties_by_id(first_pass);
    first_pass.set_query(filtered(with_concepts(words_query(rarest)), filters));
    // at least the page asked for
    Xapian::MSet candidates = first_pass.get_mset(
        0, static_cast<Xapian::doccount>(std::max<std::size_t>(kCandidates, so.offset + so.limit)));
    std::vector<Xapian::Query> ids;
    for (auto it = candidates.begin(); it != candidates.end(); ++it)
      ids.emplace_back(id_term(nct_id_of(it.get_document())));
    if (!ids.empty())  // else the whole query, whose common words alone may match
      enquire.set_query(Xapian::Query(Xapian::Query::OP_FILTER, query,
                                      Xapian::Query(Xapian::Query::OP_OR, ids.begin(), ids.end())));
  }
  const auto depth =
      static_cast<Xapian::doccount>(std::max<std::size_t>(kRerankDepth, so.offset + so.limit));
  Xapian::MSet mset = enquire.get_mset(0, depth);
  struct Ranked {
    Xapian::docid id;
    double weight;
    int percent;
  };
  std::vector<Ranked> ranked;
  std::vector<Xapian::docid> ids;
  for (auto it = mset.begin(); it != mset.end(); ++it) {
    ranked.push_back({*it, it.get_weight(), it.get_percent()});
    ids.push_back(*it);
  }
  const auto eligibility = is_shard_set(db) ? shard_set_eligibility_of(db, ids, m.age_years, m.sex)
                                            : eligibility_of(db, ids, m.age_years, m.sex);
  for (auto& h : ranked) {
    const Eligibility& e = eligibility.at(h.id);
    h.weight *= (e.age_ok ? 1.0 : kExcludedFactor) * (e.sex_ok ? 1.0 : kExcludedFactor);
  }
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const Ranked& a, const Ranked& b) { return a.weight > b.weight; });
  settle_near_ties(
      ranked, [](const Ranked& h) { return h.weight; },
      [&db](const Ranked& h) { return db.get_document(h.id).get_value(kSlotNctId); });
  const std::size_t first = std::min(so.offset, ranked.size());
  const std::size_t last = std::min(so.offset + so.limit, ranked.size());
  count_into(db, query, so, last, r);

  if (so.explain) r.explain_summary = summary(m, options);
  HitSnippet snippet(scored.empty() ? Xapian::Query() : scored, kHitSnippetLength);
  for (std::size_t i = first; i < last; ++i) {
    Hit hit = read_hit(db.get_document(ranked[i].id), snippet, so);
    hit.rank = i + 1;
    hit.weight = ranked[i].weight;
    hit.percent = ranked[i].percent;
    if (so.explain && so.records)
      explain_match(enquire, ranked[i].id, m, words, eligibility.at(ranked[i].id), hit);
    r.hits.push_back(std::move(hit));
  }
  return m;
}

std::string match_result_to_json(const MatchResult& m) {
  JsonWriter w;
  w.begin_object();
  if (m.age_years) {
    w.key("age_years").value(*m.age_years);
    w.key("age_from").value(m.age_given ? std::string("--age") : m.patient.age_phrase);
  }
  if (!m.sex.empty()) {
    w.key("sex").value(m.sex);
    w.key("sex_from").value(m.sex_given ? std::string("--sex") : m.patient.sex_word);
  }
  for (auto [role, name] :
       {std::pair{WordRole::Positive, "concepts"}, std::pair{WordRole::Negated, "negated"},
        std::pair{WordRole::Family, "family"}}) {
    w.key(name).begin_array();
    for (const auto& c : m.concepts) {
      if (c.role != role) continue;
      w.begin_object().key("name").value(c.name).key("sources").begin_array();
      for (const auto& s : c.sources) w.value(s);
      w.end_array().end_object();
    }
    w.end_array();
  }
  w.key("words_scored").value(static_cast<std::uint64_t>(m.words_scored));
  w.key("words_read").value(static_cast<std::uint64_t>(m.words_read));
  w.end_object();
  // search's document, with "patient" first
  std::string json = search_result_to_json(m.result);
  json.insert(1, "\"patient\":" + w.take() + ",");
  return json;
}

}  // namespace trialsearch
