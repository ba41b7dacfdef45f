#include "query/trial_query_parser.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <map>
#include <optional>
#include <set>
#include <utility>

#include <fmt/format.h>

#include "analyzers/alias_graph.hpp"
#include "analyzers/countries.hpp"
#include "analyzers/drug_codes.hpp"
#include "analyzers/errors.hpp"
#include "analyzers/fields.hpp"
#include "analyzers/strings.hpp"
#include "analyzers/text_fold.hpp"
#include "indexer/document_builder.hpp"
#include "indexer/normalize.hpp"
#include "indexer/synonym_table.hpp"
#include "query/patient_text.hpp"

namespace trialsearch {
namespace {

constexpr unsigned kSynonymFlags =
    Xapian::QueryParser::FLAG_AUTO_SYNONYMS | Xapian::QueryParser::FLAG_AUTO_MULTIWORD_SYNONYMS;

constexpr unsigned kParseFlags =
    Xapian::QueryParser::FLAG_BOOLEAN | Xapian::QueryParser::FLAG_PHRASE |
    Xapian::QueryParser::FLAG_LOVEHATE | Xapian::QueryParser::FLAG_WILDCARD |
    Xapian::QueryParser::FLAG_PURE_NOT | kSynonymFlags | Xapian::QueryParser::FLAG_BOOLEAN_ANY_CASE;

// Plain words are weighted field by field: QueryParser alone would merge a word's occurrences in
// the free-text index, the summary and the eligibility criteria into one OP_SYNONYM term;
// scoring each field as its own term (own frequency, own BM25 weight) ranked better on the TREC
// 2022 and SIGIR 2016 judgements (scripts/eval-relevance). No spelling correction there: the
// main parser gives it.
constexpr unsigned kFieldParseFlags = Xapian::QueryParser::FLAG_AUTO_SYNONYMS |
                                      Xapian::QueryParser::FLAG_AUTO_MULTIWORD_SYNONYMS |
                                      Xapian::QueryParser::FLAG_BOOLEAN_ANY_CASE;

// Trials matching every word outrank partial matches by this factor in relaxed mode.
constexpr double kAllWordsBoost = 50.0;
// An exact phrase of the query's words adds this much again...
constexpr double kPhraseBoost = 2.0;
// ...when it is in one of the fields that name what a trial is about. They are short positional
// fields, so the phrase is checked against short position lists; a phrase in the free-text
// index (which also holds outcomes, sites and sponsors) cost as much as the all-words tier
// itself on queries of common words (BENCHMARKS.md, "phrase boost").
constexpr std::array<const FieldSpec*, 5> kPhraseBoostFields{&field("title"), &field("condition"),
                                                             &field("intervention"),
                                                             &field("keyword"), &field("mesh")};
// A trial named by its NCT id in the query comes first.
constexpr double kIdBoost = 1000.0;

// Common English words not scored in unfielded text (`lupus and rituximab` is searched as
// `lupus rituximab`). Kept inside quoted phrases and the exact-phrase boost, and when a query
// has nothing else. Short on purpose: no single letters ("hepatitis a", "vitamin a"), no
// negations ("no", "not", "without"), which carry meaning in trial records.
constexpr std::array<std::string_view, 22> kStopwords{
    "an", "and", "are", "as", "at",   "be",  "by",    "for",  "from", "in",  "into",
    "is", "of",  "on",  "or", "that", "the", "their", "this", "to",   "was", "with"};

bool is_stopword(std::string_view word) {
  return std::find(kStopwords.begin(), kStopwords.end(), word) != kStopwords.end();
}

// `title:"WORDS" OR condition:"WORDS" OR ...` over kPhraseBoostFields, for plain words.
std::string phrase_in_boost_fields(const std::string& words) {
  std::string text;
  for (const FieldSpec* f : kPhraseBoostFields) {
    std::string_view names = f->query_names;
    if (!text.empty()) text += " OR ";
    text += fmt::format("{}:\"{}\"", names.substr(0, names.find(' ')), words);
  }
  return text;
}

std::vector<std::string> phase_terms(std::string_view value) {
  std::string v = fold(value);
  std::string spelled =
      v.find("phase") == std::string::npos && v != "na" && v != "n/a" ? "phase " + v : v;
  std::vector<std::string> terms;
  for (const auto& p : normalize_phases(spelled))
    terms.push_back(make_term(field("phase").prefix, filter_value(p)));
  if (terms.empty()) terms.push_back(make_term(field("phase").prefix, filter_value(value)));
  return terms;
}

// The values a closed filter field can hold (the indexer's spelling); nullopt for the open ones
// (country, drugs, MeSH), whose values are not checked.
std::optional<std::vector<std::string>> closed_values(const FieldSpec& spec) {
  const std::string_view field_name = spec.name;
  auto spelled = [](const auto& list) {
    std::vector<std::string> out;
    for (auto v : list) out.push_back(filter_value(v));
    return out;
  };
  if (field_name == "status") return spelled(kOverallStatuses);
  if (field_name == "phase") return spelled(kPhases);
  if (field_name == "type") return spelled(kStudyTypes);
  if (field_name == "sponsor-class") return spelled(kAgencyClasses);
  if (field_name == "sex") return spelled(kSexes);
  if (field_name == "age-group") return spelled(kStdAgeGroups);
  if (field_name == "healthy" || field_name == "has-results")
    return std::vector<std::string>{"yes", "no"};
  return std::nullopt;
}

// country:VALUE: a country of the ISO 3166 table by name or code, as any of the names records
// give it ("Czechia", "Czech Republic"); else a country the database has under that name; else
// an error, as for a misspelt status.
Xapian::Query country_query(const Xapian::Database& db, std::string_view value,
                            std::string& error) {
  const std::string_view prefix = field("country").prefix;
  if (const Country* c = find_country(value)) {
    std::vector<Xapian::Query> names;
    for (const auto& name : country_spellings(*c))
      names.emplace_back(make_term(prefix, filter_value(name)));
    return names.size() == 1 ? names.front()
                             : Xapian::Query(Xapian::Query::OP_OR, names.begin(), names.end());
  }
  std::string term = make_term(prefix, filter_value(value));
  if (db.term_exists(term)) return Xapian::Query(term);
  error = fmt::format(
      "unknown country '{}' (a country's name or ISO 3166 code: germany, DE, DEU, USA, UK)",
      trim(value));
  return Xapian::Query::MatchNothing;
}

// The filter terms of `field:value`. A value a closed field cannot hold (and the database does
// not have either) sets `error`, naming the values it can: a usage error, not a silent zero hits.
std::vector<std::string> checked_filter_terms(const Xapian::Database& db, const FieldSpec& spec,
                                              std::string_view value, std::string& error) {
  std::vector<std::string> terms = spec.name == "phase"
                                       ? phase_terms(value)
                                       : std::vector<std::string>{filter_term(spec, value)};
  auto values = closed_values(spec);
  if (!values) return terms;
  for (const auto& term : terms) {
    std::string_view v = std::string_view(term).substr(spec.prefix.size());
    if (std::find(values->begin(), values->end(), v) != values->end() || db.term_exists(term))
      continue;
    std::string list;
    for (const auto& known : *values) list += (list.empty() ? "" : ", ") + known;
    error = fmt::format("unknown {} '{}' (one of: {})", spec.name, trim(value), list);
    break;
  }
  return terms;
}

// The filter query of `field:value` (all of its terms: "1/2" is phase 1 and phase 2), or
// MatchNothing with `error` set.
Xapian::Query checked_filter_query(const Xapian::Database& db, const FieldSpec& spec,
                                   std::string_view value, std::string& error) {
  if (spec.name == "country") return country_query(db, value, error);
  auto terms = checked_filter_terms(db, spec, value, error);
  if (!error.empty()) return Xapian::Query::MatchNothing;
  if (terms.size() == 1) return Xapian::Query(terms.front());
  return Xapian::Query(Xapian::Query::OP_AND, terms.begin(), terms.end());
}

// field:value for boolean filter fields, normalised exactly as the indexer does. An unknown
// value is left in `error` for the caller to raise once parse_query() has returned: an exception
// thrown through Xapian 1.4's QueryParser from a FieldProcessor leaks the parser's state.
class FilterProcessor : public Xapian::FieldProcessor {
 public:
  FilterProcessor(const Xapian::Database& db, const FieldSpec& spec, std::string& error)
      : db_(db), spec_(spec), error_(error) {}
  Xapian::Query operator()(const std::string& value) override {
    std::string error;
    Xapian::Query q = checked_filter_query(db_, spec_, value, error);
    if (!error.empty() && error_.empty()) error_ = std::move(error);
    return q;
  }

 private:
  const Xapian::Database& db_;
  const FieldSpec& spec_;
  std::string& error_;
};

// The query name of the hidden field that a quoted drug name's aliases are parsed under.
constexpr std::string_view kDrugAliasField = "xdrugaliases";

// A quoted drug name (`drug:"mycophenolate mofetil"`): QueryParser expands no phrase, so the
// name's alias list is added beside it: its whole name and its aliases' drug-name terms.
class DrugAliasProcessor : public Xapian::FieldProcessor {
 public:
  DrugAliasProcessor(const Xapian::Database& db, const AliasMode& mode) : db_(db), mode_(mode) {}
  Xapian::Query operator()(const std::string& hex) override {
    std::string value;  // the name arrives hex-encoded: QueryParser passes no quoted value
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
      value += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
    std::string key = alias_key(value);
    std::vector<std::string> terms{make_term(field("drug-name").prefix, key)};
    for (auto& t : alias_terms(db_, synonym_key(key), mode_, AliasScope::DrugField))
      terms.push_back(std::move(t));
    return Xapian::Query(Xapian::Query::OP_SYNONYM, terms.begin(), terms.end());
  }

 private:
  const Xapian::Database& db_;
  const AliasMode& mode_;
};

// `drug:"NAME"` -> `(drug:"NAME" OR xdrugaliases:HEX)` (DrugAliasProcessor; HEX is NAME's
// bytes in hexadecimal), for every query name of the intervention field.
std::string with_quoted_drug_aliases(const std::string& text) {
  std::string out;
  std::size_t from = 0;
  for (std::size_t at = text.find(":\""); at != std::string::npos; at = text.find(":\"", from)) {
    std::size_t name_start = at;
    while (name_start > 0 && std::isalpha(static_cast<unsigned char>(text[name_start - 1])))
      --name_start;
    std::size_t close = text.find('"', at + 2);
    auto spec = field_by_query_name(text.substr(name_start, at - name_start));
    bool word_start =
        name_start == 0 || !std::isalnum(static_cast<unsigned char>(text[name_start - 1]));
    if (close == std::string::npos || close == at + 2 || !spec || spec->name != "intervention" ||
        !word_start) {
      out.append(text, from, at + 2 - from);
      from = at + 2;
      continue;
    }
    std::string quoted = text.substr(at + 1, close - at);  // "NAME"
    std::string hex;
    for (unsigned char c : quoted.substr(1, quoted.size() - 2)) hex += fmt::format("{:02x}", c);
    out.append(text, from, name_start - from);
    out += "(" + text.substr(name_start, at - name_start) + ":" + quoted + " OR " +
           std::string(kDrugAliasField) + ":" + hex + ")";
    from = close + 1;
  }
  out.append(text, from, std::string::npos);
  return out;
}

// id:/nct: an NCT id finds that trial; anything else searches the other ids as a phrase.
class IdProcessor : public Xapian::FieldProcessor {
 public:
  Xapian::Query operator()(const std::string& value) override {
    if (is_nct_id(trim(value))) return Xapian::Query(id_term(trim(value)));
    std::vector<Xapian::Query> words;
    std::string word;
    Xapian::termpos pos = 0;
    auto flush = [&] {
      if (!word.empty()) words.emplace_back(make_term(field("other-id").prefix, word), 1, ++pos);
      word.clear();
    };
    for (char c : fold(value)) {
      if (std::isalnum(static_cast<unsigned char>(c)))
        word += c;
      else
        flush();
    }
    flush();
    if (words.empty()) return Xapian::Query();
    if (words.size() == 1) return words.front();
    return Xapian::Query(Xapian::Query::OP_PHRASE, words.begin(), words.end(), words.size());
  }
};

// start:2023..2025, updated:2025-01-01.. : whole years and months widen to their last day.
class DateRangeProcessor : public Xapian::RangeProcessor {
 public:
  DateRangeProcessor(Xapian::valueno value_slot, const std::string& name)
      : Xapian::RangeProcessor(value_slot, name + ":"), name_(name + ":") {}
  Xapian::Query operator()(const std::string& begin, const std::string& end) override {
    auto lo = bound(begin, false);
    auto hi = bound(end, true);
    if ((!begin.empty() && !lo) || (!end.empty() && !hi))
      throw Xapian::QueryParserError("date range wants YYYY, YYYY-MM or YYYY-MM-DD: " + begin +
                                     ".." + end);
    if (lo && hi && *lo > *hi)
      throw Xapian::QueryParserError("empty range " + name_ + begin + ".." + end +
                                     ": its start is after its end");
    if (lo && hi)
      return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, slot, Xapian::sortable_serialise(*lo),
                           Xapian::sortable_serialise(*hi));
    if (lo) return Xapian::Query(Xapian::Query::OP_VALUE_GE, slot, Xapian::sortable_serialise(*lo));
    return Xapian::Query(Xapian::Query::OP_VALUE_LE, slot, Xapian::sortable_serialise(*hi));
  }

  /// YYYYMMDD of a date bound; an upper bound of a year or month is its last day.
  static std::optional<int> bound(const std::string& text, bool upper) {
    if (text.empty()) return std::nullopt;
    std::string iso = normalize_date(text);
    auto n = date_number(iso);
    if (!n) return std::nullopt;
    if (upper && iso.size() == 4) return *n + 1130;  // YYYY0101 -> YYYY1231
    if (upper && iso.size() == 7) return *n + 30;    // YYYYMM01 -> YYYYMM31
    return n;
  }

 private:
  std::string name_;
};

// enrollment:100..500; an empty range (500..100) is refused.
class NumberRangeProcessor : public Xapian::NumberRangeProcessor {
 public:
  NumberRangeProcessor(Xapian::valueno value_slot, const std::string& name)
      : Xapian::NumberRangeProcessor(value_slot, name + ":"), name_(name + ":") {}
  Xapian::Query operator()(const std::string& begin, const std::string& end) override {
    char* stop = nullptr;
    if (!begin.empty() && !end.empty()) {
      double lo = std::strtod(begin.c_str(), &stop);
      bool lo_ok = stop && *stop == '\0';
      double hi = std::strtod(end.c_str(), &stop);
      if (lo_ok && stop && *stop == '\0' && lo > hi)
        throw Xapian::QueryParserError("empty range " + name_ + begin + ".." + end +
                                       ": its start is after its end");
    }
    return Xapian::NumberRangeProcessor::operator()(begin, end);
  }

 private:
  std::string name_;
};

bool is_operator_word(std::string_view w) {
  return w == "AND" || w == "OR" || w == "NOT" || w == "XOR" || w == "NEAR" || w == "ADJ" ||
         w == "SYN";
}

// Lower-cases everything but the upper-case boolean operators.
std::string lower_except_operators(std::string_view s) {
  std::string out(s);
  std::size_t i = 0;
  while (i < out.size()) {
    if (!std::isalpha(static_cast<unsigned char>(out[i]))) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < out.size() && std::isalpha(static_cast<unsigned char>(out[j]))) ++j;
    if (!is_operator_word(std::string_view(out).substr(i, j - i)))
      for (std::size_t k = i; k < j; ++k)
        out[k] = static_cast<char>(std::tolower(static_cast<unsigned char>(out[k])));
    i = j;
  }
  return out;
}

// Plain words only (no operators, quotes, fields, wildcards; a hyphen only inside a word, as in
// "x-linked"): weighted field by field, and eligible for the phrase boost.
std::vector<std::string> plain_words(std::string_view s) {
  std::vector<std::string> words;
  std::string word;
  for (char c : s) {
    if (c == '"' || c == ':' || c == '*' || c == '(' || c == ')' || c == '+') return {};
    if (c == '-' && word.empty()) return {};
    if (c == ' ') {
      if (!word.empty()) words.push_back(std::move(word));
      word.clear();
    } else {
      word += c;
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  for (const auto& w : words)
    if (is_operator_word(w)) return {};
  return words;
}

// The words that are scored: all but stopwords, unless every word is one.
std::vector<std::string> scored_words(const std::vector<std::string>& words) {
  std::vector<std::string> out;
  for (const auto& w : words)
    if (!is_stopword(w)) out.push_back(w);
  return out.empty() ? words : out;
}

// Edit distance of two short names (a misspelt field name's nearest known one).
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// Refuses what QueryParser would otherwise read silently as something else: a name before a
// colon that is no field (`sponser:Pfizer` would be the words "sponser" and "pfizer", matching
// nearly nothing) and unbalanced parentheses (`title:(unclosed` would be closed at the end).
// A colon followed by a space, or after digits ("10:30"), is text. Throws UsageError.
void check_syntax(std::string_view s) {
  bool in_quote = false;
  int depth = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '"') {
      in_quote = !in_quote;
      continue;
    }
    if (in_quote) continue;
    if (c == '(') ++depth;
    if (c == ')' && --depth < 0)
      throw UsageError("query syntax error: ')' closes no '(' (quote it to search for it)");
    const bool at_start =
        i == 0 || s[i - 1] == ' ' || s[i - 1] == '(' || s[i - 1] == '+' || s[i - 1] == '-';
    if (!at_start || !std::islower(static_cast<unsigned char>(c))) continue;
    std::size_t end = i;
    while (end < s.size() && std::islower(static_cast<unsigned char>(s[end]))) ++end;
    if (end + 1 >= s.size() || s[end] != ':' || s[end + 1] == ' ') continue;
    std::string_view name = s.substr(i, end - i);
    if (is_query_field_name(name)) continue;
    std::string nearest;
    std::size_t best = 3;
    const std::string all_names = query_field_names();
    std::string_view names_left = all_names;
    while (!names_left.empty()) {
      auto sp = std::min(names_left.find(' '), names_left.size());
      std::string_view known = names_left.substr(0, sp);
      if (auto d = edit_distance(name, known); d < best) {
        best = d;
        nearest = std::string(known);
      }
      names_left.remove_prefix(std::min(sp + 1, names_left.size()));
    }
    throw UsageError(fmt::format(
        "unknown field '{}:'{} (fields: {}; `trialsearch search --help` says what each holds; "
        "a space after the colon searches the words)",
        name, nearest.empty() ? "" : fmt::format(", did you mean '{}:'?", nearest), all_names));
  }
  if (depth > 0) throw UsageError("query syntax error: a '(' is never closed");
}

// A pasted web address: a trial's page (https://clinicaltrials.gov/study/NCT05869955, or the
// legacy .../ct2/show/NCT05869955) becomes its NCT id; any other address its words.
std::string replace_urls(std::string_view text) {
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    auto rest = text.substr(i);
    auto at = std::min(
        {rest.find("http://"), rest.find("https://"), rest.find("HTTP://"), rest.find("HTTPS://")});
    if (at == std::string_view::npos || (at > 0 && rest[at - 1] != ' ' && rest[at - 1] != '(')) {
      auto stop = at == std::string_view::npos ? rest.size() : at + 1;
      out += rest.substr(0, stop);
      i += stop;
      continue;
    }
    out += rest.substr(0, at);
    auto end = std::min(rest.find_first_of(" )", at), rest.size());
    std::string_view url = rest.substr(at, end - at);
    std::string id;
    for (std::size_t k = 0; k + 11 <= url.size() && id.empty(); ++k)
      if (is_nct_id(url.substr(k, 11)) &&
          (k + 11 == url.size() || !std::isdigit(static_cast<unsigned char>(url[k + 11]))))
        id = url.substr(k, 11);
    if (!id.empty()) {
      for (char& ch : id) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      out += id;
    } else {
      for (char ch : url.substr(url.find("//") + 2))
        out += std::isalnum(static_cast<unsigned char>(ch)) ? ch : ' ';
    }
    i += end;
  }
  return out;
}

// ClinicalTrials.gov's search areas (its "expert" syntax, AREA[Name]value) and the field each
// becomes here; an area with no field here is refused with this list.
struct ExpertArea {
  std::string_view area;
  std::string_view field;  ///< a query field or range name
};
// clang-format off
constexpr std::array kExpertAreas{
  ExpertArea{"Condition", "cond"},             ExpertArea{"ConditionMeshTerm", "mesh"},
  ExpertArea{"ConditionAncestorTerm", "mesh"}, ExpertArea{"Keyword", "keyword"},
  ExpertArea{"BriefTitle", "title"},           ExpertArea{"OfficialTitle", "title"},
  ExpertArea{"Acronym", "title"},              ExpertArea{"InterventionName", "drug"},
  ExpertArea{"InterventionOtherName", "drug"}, ExpertArea{"InterventionDescription", "drug"},
  ExpertArea{"InterventionMeshTerm", "mesh"},  ExpertArea{"InterventionAncestorTerm", "mesh"},
  ExpertArea{"OverallStatus", "status"},       ExpertArea{"Phase", "phase"},
  ExpertArea{"StudyType", "type"},             ExpertArea{"Sex", "sex"},
  ExpertArea{"Gender", "sex"},                 ExpertArea{"HealthyVolunteers", "healthy"},
  ExpertArea{"StdAge", "agegroup"},            ExpertArea{"LocationCountry", "country"},
  ExpertArea{"LocationCity", "city"},          ExpertArea{"LocationFacility", "site"},
  ExpertArea{"LocationState", "site"},         ExpertArea{"LeadSponsorName", "sponsor"},
  ExpertArea{"CollaboratorName", "sponsor"},   ExpertArea{"LeadSponsorClass", "sponsorclass"},
  ExpertArea{"NCTId", "id"},                   ExpertArea{"OrgStudyId", "otherid"},
  ExpertArea{"SecondaryId", "otherid"},        ExpertArea{"BriefSummary", "summary"},
  ExpertArea{"DetailedDescription", "summary"}, ExpertArea{"EligibilityCriteria", "eligibility"},
  ExpertArea{"PrimaryOutcomeMeasure", "outcome"}, ExpertArea{"SecondaryOutcomeMeasure", "outcome"},
  ExpertArea{"StartDate", "start"},            ExpertArea{"CompletionDate", "completion"},
  ExpertArea{"StudyFirstPostDate", "posted"},  ExpertArea{"LastUpdatePostDate", "updated"},
  ExpertArea{"EnrollmentCount", "enrollment"},
};
// clang-format on

// The expert syntax users paste from ClinicalTrials.gov: `AREA[Condition]lupus` is
// `cond:lupus`, `AREA[InterventionName]"CC-97540"` is `drug:"CC-97540"`,
// `AREA[StartDate]RANGE[2023-01-01,MAX]` is `start:2023-01-01..`. An area we have no field for,
// and the operators we have no equivalent of (SEARCH[], EXPANSION[], COVERAGE[]...), are a
// usage error naming the areas we read.
std::string translate_expert_syntax(std::string_view text) {
  if (text.find('[') == std::string_view::npos) return std::string(text);
  auto areas_list = [] {
    std::string out;
    for (const auto& a : kExpertAreas) out += (out.empty() ? "" : ", ") + std::string(a.area);
    return out;
  };
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    auto open = text.find('[', i);
    if (open == std::string_view::npos) {
      out += text.substr(i);
      break;
    }
    std::size_t word = open;
    while (word > i && std::isalpha(static_cast<unsigned char>(text[word - 1]))) --word;
    std::string_view op = text.substr(word, open - word);
    auto close = text.find(']', open);
    if (op.empty() || close == std::string_view::npos) {
      out += text.substr(i, open + 1 - i);
      i = open + 1;
      continue;
    }
    out += text.substr(i, word - i);
    std::string_view name = text.substr(open + 1, close - open - 1);
    if (!equal_ignoring_case(op, "AREA"))
      throw UsageError(fmt::format(
          "ClinicalTrials.gov's {}[...] has no equivalent here: use AREA[...] with one of: {}", op,
          areas_list()));
    const ExpertArea* area = nullptr;
    for (const auto& a : kExpertAreas)
      if (equal_ignoring_case(a.area, trim(name))) area = &a;
    if (!area)
      throw UsageError(fmt::format("no field here for ClinicalTrials.gov's AREA[{}] (areas: {})",
                                   name, areas_list()));
    i = close + 1;
    std::string_view rest = text.substr(i);
    if (rest.size() >= 6 && equal_ignoring_case(rest.substr(0, 6), "RANGE[")) {
      auto end = rest.find(']');
      if (end == std::string_view::npos)
        throw UsageError("query syntax error: RANGE[ is never closed");
      std::string_view bounds = rest.substr(6, end - 6);
      auto comma = bounds.find(',');
      if (comma == std::string_view::npos)
        throw UsageError(fmt::format("RANGE[{}] wants two bounds: RANGE[low, high]", bounds));
      auto bound = [](std::string_view b) {
        b = trim(b);
        return equal_ignoring_case(b, "MIN") || equal_ignoring_case(b, "MAX") ? std::string()
                                                                              : std::string(b);
      };
      std::string lo = bound(bounds.substr(0, comma)), hi = bound(bounds.substr(comma + 1));
      if (lo.empty() && hi.empty()) lo = area->field == "enrollment" ? "0" : "1000";
      out += fmt::format("{}:{}..{}", area->field, lo, hi);
      i += end + 1;
    } else {
      out += fmt::format("{}:", area->field);
    }
  }
  return out;
}

}  // namespace

std::string filter_term(const FieldSpec& spec, std::string_view value) {
  if (spec.name == "phase") return phase_terms(value).front();
  // whole names, keyed as the alias graph keys them
  if (spec.name == "drug-name" || spec.name == "drug-primary" || spec.name == "condition-name" ||
      spec.name == "keyword-name")
    return make_term(spec.prefix, alias_key(value));
  return make_term(spec.prefix, filter_value(value));
}

// The prefix of a term: its leading capitals (all our prefixes are capitals, words lower case).
std::string_view term_prefix(std::string_view term) {
  std::size_t n = 0;
  while (n < term.size() && term[n] >= 'A' && term[n] <= 'Z') ++n;
  return term.substr(0, n);
}

bool positional_prefix(std::string_view prefix) {
  for (const auto& f : kFields)
    if (f.prefix == prefix) return f.positional;
  return true;
}

// Whether two queries are the same: the same operators, subqueries and terms, with the same
// wqf and positions. Xapian 1.4 gives no access to a leaf's wqf or position other than its
// description, so the descriptions are compared (they spell the whole tree).
bool same_query(const Xapian::Query& a, const Xapian::Query& b) {
  return a.get_description() == b.get_description();
}

// What a quoted phrase becomes in a field indexed without positions (summary, eligibility),
// where as a phrase it would match nothing.
enum class Unpositioned {
  AllWords,  ///< all of its words: what a query matches
  Drop,      ///< nothing: the trials with the phrase in order, which rank first
};

// A quoted phrase in a field indexed without positions becomes "all of these words" (or is
// dropped). QueryParser gives a phrase over the default fields as one OP_PHRASE per prefix, so
// only those branches change. Rebuilds only the operators QueryParser produces around phrases
// (their parameters are not readable in Xapian 1.4).
Xapian::Query relax_unpositioned_phrases(const Xapian::Query& q,
                                         Unpositioned how = Unpositioned::AllWords) {
  const auto type = q.get_type();
  const std::size_t n = q.get_num_subqueries();
  if (n == 0) return q;
  if (type == Xapian::Query::OP_PHRASE) {
    bool positional = false;
    for (auto t = q.get_unique_terms_begin(); t != q.get_unique_terms_end(); ++t)
      positional |= positional_prefix(term_prefix(*t));
    if (positional) return q;
    if (how == Unpositioned::Drop) return Xapian::Query();  // matches nothing
    std::vector<Xapian::Query> words;
    for (std::size_t i = 0; i < n; ++i) words.push_back(q.get_subquery(i));
    return Xapian::Query(Xapian::Query::OP_AND, words.begin(), words.end());
  }
  switch (type) {
    case Xapian::Query::OP_AND:
    case Xapian::Query::OP_OR:
    case Xapian::Query::OP_AND_NOT:
    case Xapian::Query::OP_XOR:
    case Xapian::Query::OP_AND_MAYBE:
    case Xapian::Query::OP_FILTER:
    case Xapian::Query::OP_SYNONYM:
      break;
    default:
      return q;
  }
  std::vector<Xapian::Query> subs;
  bool changed = false;
  for (std::size_t i = 0; i < n; ++i) {
    Xapian::Query sub = q.get_subquery(i);
    subs.push_back(relax_unpositioned_phrases(sub, how));
    changed |= !same_query(subs.back(), sub);
  }
  return changed ? Xapian::Query(type, subs.begin(), subs.end()) : q;
}

// Whether `q` has NOT (or XOR) anywhere: there a narrower subquery widens the match set.
bool has_negation(const Xapian::Query& q) {
  auto type = q.get_type();
  if (type == Xapian::Query::OP_AND_NOT || type == Xapian::Query::OP_XOR) return true;
  for (std::size_t i = 0; i < q.get_num_subqueries(); ++i)
    if (has_negation(q.get_subquery(i))) return true;
  return false;
}

struct TrialQueryParser::Impl {
  Xapian::Database db;
  Xapian::Stem stemmer{std::string(kStemLanguage)};
  Xapian::SimpleStopper stopper{kStopwords.begin(), kStopwords.end()};
  mutable Xapian::QueryParser qp;
  /// One parser per default search field (the free-text index, then kDefaultSearchFields).
  mutable std::vector<Xapian::QueryParser> field_parsers;
  /// The normalised text of the last parse(), for a spelling correction asked for afterwards.
  mutable std::string last_text;
  /// The first unknown filter value of the parse in progress (FilterProcessor), else empty.
  mutable std::string filter_error;
  AliasMode aliases = AliasMode::On;

  /// Alias terms the mode leaves out of the query being parsed (alias_terms_excluded()).
  mutable std::set<std::string> excluded_aliases;

  /// `q` without the excluded alias terms in its synonym groups (Strict mode).
  Xapian::Query without_excluded(const Xapian::Query& q) const {
    if (excluded_aliases.empty()) return q;
    const std::size_t n = q.get_num_subqueries();
    if (n == 0) return q;
    std::vector<Xapian::Query> subs;
    bool changed = false;
    for (std::size_t i = 0; i < n; ++i) {
      Xapian::Query sub = q.get_subquery(i);
      if (q.get_type() == Xapian::Query::OP_SYNONYM && sub.get_type() == Xapian::Query::LEAF_TERM &&
          excluded_aliases.contains(*sub.get_terms_begin())) {
        changed = true;
        continue;
      }
      Xapian::Query kept = without_excluded(sub);
      changed |= !kept.get_description().empty() && !same_query(kept, sub);
      subs.push_back(std::move(kept));
    }
    if (!changed) return q;
    if (subs.size() == 1 && q.get_type() == Xapian::Query::OP_SYNONYM) return subs.front();
    return Xapian::Query(q.get_type(), subs.begin(), subs.end());
  }

  /// `flags` without synonym expansion when aliases are off.
  unsigned parse_flags(unsigned flags) const {
    return aliases == AliasMode::Off ? flags & ~kSynonymFlags : flags;
  }

  explicit Impl(const Xapian::Database& database) : db(database) {
    qp.set_database(db);
    // A short wildcard (`c*`) matches thousands of terms: each expands to its most frequent ones.
    qp.set_max_expansion(kMaxWildcardTerms, Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
    qp.set_stemmer(stemmer);
    qp.set_stopper(&stopper);
    qp.set_stemming_strategy(Xapian::QueryParser::STEM_ALL);
    std::vector<std::string> default_prefixes{""};
    for (const FieldSpec* f : kDefaultSearchFields) default_prefixes.emplace_back(f->prefix);
    for (const auto& prefix : default_prefixes) {
      Xapian::QueryParser& p = field_parsers.emplace_back();
      p.set_database(db);
      p.set_stemmer(stemmer);
      p.set_stopper(&stopper);
      p.set_stemming_strategy(Xapian::QueryParser::STEM_ALL);
      p.set_default_op(Xapian::Query::OP_OR);
      p.add_prefix("", prefix);
    }
    for (const auto& f : kFields) {
      std::string_view names = f.query_names;
      while (!names.empty()) {
        auto sp = names.find(' ');
        std::string name(names.substr(0, sp));
        switch (f.kind) {
          case FieldKind::Text:
            qp.add_prefix(name, std::string(f.prefix));
            break;
          case FieldKind::Filter:
            qp.add_boolean_prefix(name, (new FilterProcessor(db, f, filter_error))->release());
            break;
          case FieldKind::Id:
            qp.add_boolean_prefix(name, (new IdProcessor)->release());
            break;
        }
        if (sp == std::string_view::npos) break;
        names.remove_prefix(sp + 1);
      }
    }
    qp.add_prefix(std::string(kDrugAliasField), (new DrugAliasProcessor(db, aliases))->release());
    qp.add_prefix("", "");
    for (const FieldSpec* f : kDefaultSearchFields) qp.add_prefix("", std::string(f->prefix));
    for (const auto& r : kRanges) {
      std::string name(r.name);
      if (r.kind == RangeKind::Date)
        qp.add_rangeprocessor((new DateRangeProcessor(r.slot, name))->release());
      else
        qp.add_rangeprocessor((new NumberRangeProcessor(r.slot, name))->release());
    }
  }

  /// The query as QueryParser gives it, quoted phrases in unpositioned fields left as they are.
  Xapian::Query parse_raw(const std::string& text, Xapian::Query::op default_op) const {
    qp.set_default_op(default_op);
    filter_error.clear();
    Xapian::Query query;
    try {
      query = qp.parse_query(text, parse_flags(kParseFlags));
    } catch (const Xapian::QueryParserError& e) {
      throw UsageError("query syntax error: " + e.get_msg());
    }
    if (!filter_error.empty()) throw UsageError(std::exchange(filter_error, {}));
    return without_excluded(query);
  }

  Xapian::Query parse_with(const std::string& text, Xapian::Query::op default_op) const {
    return relax_unpositioned_phrases(parse_raw(text, default_op));
  }

  /// Pasted text (is_pasted_text()): its words but common ones and numbers, the
  /// kMaxScoredWords rarest distinct ones, any of them, by weight.
  Xapian::Query pasted(const std::string& normalised) const {
    std::map<std::string, std::string> by_stem;  // stem -> the word as written
    for (auto& w : split_words(normalised)) {
      if (!all_digits(w) && !is_narrative_stopword(w)) by_stem.try_emplace(stemmer(w), w);
    }
    std::vector<std::pair<Xapian::doccount, std::string>> words;  // (frequency, word)
    for (const auto& [stem, word] : by_stem) {
      Xapian::doccount most = db.get_termfreq(stem);
      for (const FieldSpec* spec : kDefaultSearchFields)
        most = std::max(most, db.get_termfreq(make_term(spec->prefix, stem)));
      if (most > 0) words.emplace_back(most, word);
    }
    if (words.empty()) return Xapian::Query::MatchNothing;
    if (words.size() > kMaxScoredWords) {
      std::nth_element(words.begin(), words.begin() + kMaxScoredWords, words.end());
      words.resize(kMaxScoredWords);
    }
    std::string plain;
    for (const auto& w : words) plain += (plain.empty() ? "" : " ") + w.second;
    // the free-text index, summary and eligibility: outcomes measured worse for long text
    // (BENCHMARKS.md, "match"), as in match
    static_assert(kDefaultSearchFields[2] == &field("outcome"));
    return by_field(plain, 3);
  }

  /// Plain words matching in any default field, each field weighted as its own term; the
  /// first `fields` default fields only, when given.
  Xapian::Query by_field(const std::string& text,
                         std::size_t fields = kDefaultSearchFields.size() + 1) const {
    std::vector<Xapian::Query> parts;
    try {
      for (std::size_t i = 0; i < field_parsers.size() && i < fields; ++i)
        parts.push_back(
            without_excluded(field_parsers[i].parse_query(text, parse_flags(kFieldParseFlags))));
    } catch (const Xapian::QueryParserError& e) {
      throw UsageError("query syntax error: " + e.get_msg());
    }
    return Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end());
  }

  /// The tiers of plain words (no operators, fields or quotes): the match set as QueryParser
  /// gives it (`all`), the weights from by_field(); in relaxed mode, an all-words tier.
  QueryTiers plain_word_tiers(const std::string& s, const std::vector<std::string>& words,
                              std::size_t typed_words, MatchMode mode, Xapian::Query all) const {
    QueryTiers tiers{all, {}, {}};
    Xapian::Query& query = tiers.query;
    // Plain words: the match set as QueryParser gives it, the weights from by_field().
    // The words scored, stopwords left out: with them, QueryParser would read a lower-case
    // "and" or "or" as an operator (FLAG_BOOLEAN_ANY_CASE) and score "the" as a word.
    std::string plain;
    for (const auto& w : words) plain += (plain.empty() ? "" : " ") + w;
    if (plain != s) all = query = parse_with(plain, Xapian::Query::OP_AND);
    Xapian::Query scored = by_field(plain);
    bool one_word = same_query(parse_with(plain, Xapian::Query::OP_OR), all);
    // Every word, each in any default field: the AND of the words' by_field() queries weighs a
    // trial exactly as `scored` does (the same terms, summed), and lets Xapian skip through the
    // rarest word instead of scanning `scored`. Not when synonyms of several words together
    // (multi-word synonyms) make `scored` more than its words.
    Xapian::Query every = scored;
    bool split = false;
    if (!one_word && mode != MatchMode::Any) {
      std::vector<Xapian::Query> per_word;
      std::set<std::string> word_terms;
      for (const auto& w : words) {
        per_word.push_back(by_field(w));
        word_terms.insert(per_word.back().get_unique_terms_begin(),
                          per_word.back().get_unique_terms_end());
      }
      split = word_terms ==
              std::set<std::string>(scored.get_unique_terms_begin(), scored.get_unique_terms_end());
      every = split ? Xapian::Query(Xapian::Query::OP_AND, per_word.begin(), per_word.end())
                    : Xapian::Query(Xapian::Query::OP_FILTER, scored, all);
    }
    if (mode == MatchMode::Any || one_word)
      query = scored;
    else if (mode == MatchMode::All)
      query = every;
    else
      query = Xapian::Query(Xapian::Query::OP_OR,
                            Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, every, kAllWordsBoost),
                            scored);
    Xapian::Query phrase_boost;
    if (mode != MatchMode::Any && words.size() >= 2 && typed_words <= 6) {
      Xapian::Query phrase = parse_with(phrase_in_boost_fields(s), Xapian::Query::OP_AND);
      phrase_boost = Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                                   Xapian::Query(Xapian::Query::OP_FILTER, every, phrase),
                                   kPhraseBoost * kAllWordsBoost);
      query = Xapian::Query(Xapian::Query::OP_OR, query, phrase_boost);
    }
    // In relaxed mode a trial with every word weighs (boost + 1) x its `scored` weight, a trial
    // with some words its `scored` weight: the top tier is the first kind, with its phrase boost.
    if (mode == MatchMode::Relaxed && split) {
      tiers.top = Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, every, kAllWordsBoost + 1);
      if (!phrase_boost.empty())
        tiers.top = Xapian::Query(Xapian::Query::OP_OR, tiers.top, phrase_boost);
      tiers.rest = scored;
    }
    return tiers;
  }

  /// The tiers of a query with operators, fields or quotes: each parse relaxed two ways; a
  /// quoted phrase's in-order matches are the top tier.
  QueryTiers operator_tiers(const std::string& s, const Xapian::Query& raw_all,
                            MatchMode mode) const {
    QueryTiers tiers;
    Xapian::Query& query = tiers.query;
    // Operators, fields, quotes. Each parse is relaxed two ways (parsing reads the synonym
    // table: done once per default operator).
    const Xapian::Query raw_any =
        mode == MatchMode::All ? Xapian::Query() : parse_raw(s, Xapian::Query::OP_OR);
    auto build = [&](Unpositioned how) {
      Xapian::Query every_word = relax_unpositioned_phrases(raw_all, how);
      if (mode == MatchMode::All) return every_word;
      Xapian::Query any = relax_unpositioned_phrases(raw_any, how);
      if (mode == MatchMode::Any || same_query(any, every_word)) return any;
      return Xapian::Query(
          Xapian::Query::OP_OR,
          Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, every_word, kAllWordsBoost), any);
    };
    query = build(Unpositioned::AllWords);
    // A quoted phrase matches in order where positions are kept, and as all of its words in
    // summary and eligibility: trials with it in order rank first, as with the all-words tier
    // of plain words. They are the top tier (weighed as in `query`), which spares the search
    // the long AND over summary and eligibility whenever they fill the page. Not under NOT,
    // where dropping the phrase's unpositioned branches would widen the match set.
    Xapian::Query in_order = build(Unpositioned::Drop);
    if (!in_order.empty() && !same_query(in_order, query) && !has_negation(query)) {
      Xapian::Query first(Xapian::Query::OP_SCALE_WEIGHT, in_order, kAllWordsBoost);
      tiers.top = Xapian::Query(Xapian::Query::OP_AND_MAYBE, first, query);
      tiers.rest = query;
      query = Xapian::Query(Xapian::Query::OP_OR, first, query);
    }
    return tiers;
  }
};

TrialQueryParser::TrialQueryParser(const Xapian::Database& db)
    : impl_(std::make_unique<Impl>(db)) {}
TrialQueryParser::~TrialQueryParser() = default;

void TrialQueryParser::set_alias_mode(AliasMode mode) { impl_->aliases = mode; }

std::string TrialQueryParser::fold_query(std::string_view text) const {
  std::string s = lower_except_operators(collapse_whitespace(
      translate_expert_syntax(replace_urls(collapse_whitespace(fold_keep_case(text))))));
  auto codes = find_codes(s, CodeContext::Query);
  for (auto it = codes.rbegin(); it != codes.rend(); ++it) {
    if (it->spaced && !impl_->db.term_exists(impl_->stemmer(it->canonical))) continue;
    s.replace(it->begin, it->end - it->begin, it->canonical);
  }
  return s;
}

Xapian::Query TrialQueryParser::parse(std::string_view text, MatchMode mode) const {
  return parse_tiers(text, mode).query;
}

std::size_t query_word_count(std::string_view text) {
  std::size_t words = 0;
  bool in_word = false;
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    bool word_char = std::isalnum(u) || u >= 0x80;
    if (word_char && !in_word) ++words;
    in_word = word_char;
  }
  return words;
}

std::size_t query_wildcard_count(std::string_view text) {
  std::size_t wildcards = 0;
  for (std::size_t i = 1; i < text.size(); ++i) {
    auto before = static_cast<unsigned char>(text[i - 1]);
    if (text[i] == '*' && (std::isalnum(before) || before >= 0x80)) ++wildcards;
  }
  return wildcards;
}

bool is_pasted_text(std::string_view text) {
  if (query_word_count(text) <= kLongQueryWords || query_wildcard_count(text) > 0) return false;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    std::size_t end = i;
    while (end < text.size() && !std::isspace(static_cast<unsigned char>(text[end]))) ++end;
    std::string_view token = text.substr(i, end - i);
    if (is_operator_word(token)) return false;
    while (!token.empty() && (token.front() == '(' || token.front() == '+' || token.front() == '-'))
      token.remove_prefix(1);
    if (auto colon = token.find(':'); colon != std::string_view::npos && colon > 0) {
      std::string name(token.substr(0, colon));
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (is_query_field_name(name)) return false;
    }
    i = end;
  }
  return true;
}

namespace {

// At the door, before any work that grows with the words: a query over kMaxQueryWords words or
// kMaxQueryWildcards wildcards is a usage error.
void check_query_size(std::string_view text) {
  if (auto words = query_word_count(text); words > kMaxQueryWords)
    throw UsageError(
        fmt::format("query too long: {} words (at most {} with operators or fields, "
                    "{} as plain text)",
                    words, kMaxQueryWords, kMaxPastedWords));
  if (auto wildcards = query_wildcard_count(text); wildcards > kMaxQueryWildcards)
    throw UsageError(
        fmt::format("query too broad: {} wildcards (at most {})", wildcards, kMaxQueryWildcards));
}

// An NCT id typed in the query brings that trial first (and the trial may match no other word:
// no tiers then).
void boost_typed_ids(const std::vector<std::string>& words, QueryTiers& tiers) {
  Xapian::Query& query = tiers.query;
  for (const auto& w : words) {
    if (is_nct_id(w)) {
      query = Xapian::Query(
          Xapian::Query::OP_OR,
          Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(w), kIdBoost), query);
      tiers.top = tiers.rest = Xapian::Query();
    }
  }
}

}  // namespace

QueryTiers TrialQueryParser::parse_tiers(std::string_view text, MatchMode mode) const {
  // Pasted text (many words, no operator, field or wildcard) is read as plain words: its own,
  // larger cap, and the heaviest words scored.
  if (is_pasted_text(text)) {
    if (auto words = query_word_count(text); words > kMaxPastedWords)
      throw UsageError(
          fmt::format("query too long: {} words (at most {}, or {} with operators "
                      "or fields)",
                      words, kMaxPastedWords, kMaxQueryWords));
    std::string s = fold_query(text);
    impl_->last_text = s;
    return {impl_->pasted(s), {}, {}};
  }
  check_query_size(text);
  std::string s = fold_query(text);
  impl_->last_text = s;
  if (trim(s).empty()) return {Xapian::Query::MatchAll, {}, {}};
  check_syntax(s);  // what the user typed, before the hidden alias field is added
  if (impl_->aliases != AliasMode::Off) s = with_quoted_drug_aliases(s);
  impl_->excluded_aliases = impl_->aliases == AliasMode::Strict
                                ? alias_terms_excluded(impl_->db, s, AliasMode::Strict)
                                : std::set<std::string>{};
  const Xapian::Query raw_all = impl_->parse_raw(s, Xapian::Query::OP_AND);
  const auto typed_words = plain_words(s);
  const auto words = scored_words(typed_words);
  QueryTiers tiers = words.empty() ? impl_->operator_tiers(s, raw_all, mode)
                                   : impl_->plain_word_tiers(s, words, typed_words.size(), mode,
                                                             relax_unpositioned_phrases(raw_all));
  boost_typed_ids(words, tiers);
  return tiers;
}

Xapian::Query TrialQueryParser::filter(const SearchFilters& f) const {
  std::vector<Xapian::Query> parts;
  auto any_of = [&](const FieldSpec& spec, const std::vector<std::string>& values) {
    if (values.empty()) return;
    std::vector<Xapian::Query> alternatives;
    for (const auto& v : values) {
      std::string error;
      alternatives.push_back(checked_filter_query(impl_->db, spec, v, error));
      if (!error.empty()) throw UsageError(error);
    }
    parts.emplace_back(Xapian::Query::OP_OR, alternatives.begin(), alternatives.end());
  };
  any_of(field("status"), f.status);
  any_of(field("phase"), f.phase);
  any_of(field("type"), f.type);
  // --country splits at commas: "Korea, Republic of" comes back as two values, joined again
  std::vector<std::string> countries;
  for (std::size_t i = 0; i < f.country.size(); ++i) {
    if (i + 1 < f.country.size()) {
      std::string joined = f.country[i] + ", " + std::string(trim(f.country[i + 1]));
      if (find_country(joined)) {
        countries.push_back(std::move(joined));
        ++i;
        continue;
      }
    }
    countries.push_back(f.country[i]);
  }
  any_of(field("country"), countries);
  any_of(field("age-group"), f.age_group);
  any_of(field("sponsor-class"), f.sponsor_class);
  if (!f.results.empty()) any_of(field("has-results"), {f.results});
  if (!f.sex.empty()) {
    std::vector<std::string> sexes = f.sex;
    sexes.emplace_back("all");
    any_of(field("sex"), sexes);
  }
  if (f.healthy) parts.emplace_back(filter_term(field("healthy"), "yes"));
  if (f.age_years) {
    double days = *f.age_years * 365.0;
    parts.emplace_back(Xapian::Query::OP_AND,
                       Xapian::Query(Xapian::Query::OP_VALUE_LE, kSlotMinAgeDays,
                                     Xapian::sortable_serialise(days)),
                       Xapian::Query(Xapian::Query::OP_VALUE_GE, kSlotMaxAgeDays,
                                     Xapian::sortable_serialise(days)));
  }
  if (!f.since.empty()) {
    auto lo = DateRangeProcessor::bound(f.since, false);
    if (!lo)
      throw UsageError("--since wants a date YYYY, YYYY-MM or YYYY-MM-DD, not '" + f.since + "'");
    parts.emplace_back(Xapian::Query::OP_VALUE_GE, kSlotLastUpdate,
                       Xapian::sortable_serialise(*lo));
  }
  if (parts.empty()) return Xapian::Query::MatchAll;
  return Xapian::Query(Xapian::Query::OP_AND, parts.begin(), parts.end());
}

// Spelling suggestions cost a trigram scan of the spelling table per word (11% of query time at
// 20,000 trials), and they are only shown when nothing matched, or no trial has every word: so
// they are looked up on demand. Each word is corrected on its own, and only a word the index
// does not hold: QueryParser's own correction takes every word whose unstemmed form is no term
// (all of them, since the index holds stems) and offers "system" for "systemic", a more frequent
// word one edit away.
std::string TrialQueryParser::corrected() const {
  const std::string& text = impl_->last_text;
  std::string out;
  bool changed = false;
  std::size_t i = 0;
  while (i < text.size()) {
    if (!std::islower(static_cast<unsigned char>(text[i]))) {
      out += text[i++];
      continue;
    }
    std::size_t end = i;
    while (end < text.size() && std::islower(static_cast<unsigned char>(text[end]))) ++end;
    std::string word = text.substr(i, end - i);
    const bool field_name = end < text.size() && text[end] == ':';
    const bool in_word = (i > 0 && std::isalnum(static_cast<unsigned char>(text[i - 1]))) ||
                         (end < text.size() && std::isalnum(static_cast<unsigned char>(text[end])));
    auto indexed = [&](const std::string& w) {
      const std::string stem = impl_->stemmer(w);
      if (impl_->db.term_exists(stem)) return true;
      for (const FieldSpec* f : kDefaultSearchFields)
        if (impl_->db.term_exists(make_term(f->prefix, stem))) return true;
      return false;
    };
    if (!field_name && !in_word && word.size() >= 4 && !is_stopword(word) && !indexed(word)) {
      std::string suggestion = impl_->db.get_spelling_suggestion(word);
      if (!suggestion.empty()) {
        word = suggestion;
        changed = true;
      }
    }
    out += word;
    i = end;
  }
  return changed ? out : std::string();
}

}  // namespace trialsearch
