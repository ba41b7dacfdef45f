#include "query/patient_text.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include <fmt/format.h>

#include "analyzers/errors.hpp"
#include "analyzers/strings.hpp"
#include "analyzers/text_fold.hpp"
#include "query/trial_query_parser.hpp"

namespace trialsearch {
namespace {

template <std::size_t N>
bool one_of(const std::array<std::string_view, N>& list, std::string_view word) {
  return std::find(list.begin(), list.end(), word) != list.end();
}

// Common English words and the narrative's own ("presents", "year", "old"), measured as the
// bag of words match scores (BENCHMARKS.md, "match"). No negations: they mark scope instead.
// clang-format off
constexpr auto kNarrativeStopwords = std::to_array<std::string_view>({
  "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any",
  "are", "as", "at", "be", "because", "been", "before", "being", "below", "between", "both",
  "but", "by", "can", "could", "did", "do", "does", "doing", "down", "during", "each", "few",
  "for", "from", "further", "had", "has", "have", "having", "he", "her", "here", "hers",
  "herself", "him", "himself", "his", "how", "i", "if", "in", "into", "is", "it", "its",
  "itself", "just", "me", "more", "most", "my", "myself", "nor", "now", "of", "off", "on",
  "once", "only", "or", "other", "our", "ours", "ourselves", "out", "over", "own", "same",
  "she", "should", "so", "some", "such", "than", "that", "the", "their", "theirs", "them",
  "themselves", "then", "there", "these", "they", "this", "those", "through", "to", "too",
  "under", "until", "up", "very", "was", "we", "were", "what", "when", "where", "which",
  "while", "who", "whom", "why", "will", "with", "would", "you", "your", "yours", "yourself",
  "yourselves", "may", "must", "per", "via", "within", "presents", "presented", "comes", "came",
  "patient", "reports", "reported", "shows", "showed", "year", "years", "old", "day", "days",
  "week", "weeks", "month", "months"});

// A negation: the words after it, to the end of its clause, are not what the patient has.
constexpr auto kNegations = std::to_array<std::string_view>({
  "no", "not", "denies", "denied", "deny", "without", "negative", "absence", "absent", "free",
  "never", "nor", "none", "unremarkable", "normal"});

// Relatives: "mother had breast cancer" is not the patient's.
constexpr auto kRelatives = std::to_array<std::string_view>({
  "mother", "father", "sister", "brother", "aunt", "uncle", "grandmother", "grandfather",
  "sibling", "siblings", "parent", "parents", "cousin", "daughter", "son", "mother's",
  "father's", "sister's", "brother's", "grandmother's", "grandfather's", "parents'"});
// What a relative had: a relative followed within two words by one of these starts a
// family clause ("mother had", "father was diagnosed", "sister with").
constexpr auto kRelativeHad = std::to_array<std::string_view>({
  "had", "has", "have", "died", "diagnosed", "suffered", "suffers", "suffering", "history",
  "passed", "with"});

// Words that end a clause as a full stop does.
constexpr auto kClauseWords = std::to_array<std::string_view>({"but", "however"});

struct SexWord {
  std::string_view word;
  std::string_view sex;
};
constexpr std::array kSexWords{
  SexWord{"woman", "female"}, SexWord{"female", "female"}, SexWord{"girl", "female"},
  SexWord{"lady", "female"},  SexWord{"she", "female"},    SexWord{"man", "male"},
  SexWord{"male", "male"},    SexWord{"boy", "male"},      SexWord{"he", "male"},
  SexWord{"gentleman", "male"}};

struct AgeUnit {
  std::string_view word;
  double years;
};
constexpr std::array kAgeUnits{
  AgeUnit{"year", 1.0},        AgeUnit{"years", 1.0},        AgeUnit{"month", 1.0 / 12},
  AgeUnit{"months", 1.0 / 12}, AgeUnit{"week", 7.0 / 365},   AgeUnit{"weeks", 7.0 / 365},
  AgeUnit{"day", 1.0 / 365},   AgeUnit{"days", 1.0 / 365}};
// clang-format on

// The sex words are read in the description's first words: later ones are often about others.
constexpr std::size_t kSexWordsRead = 40;

// A number of years, months... as an age is written: one to three digits.
bool is_age_number(std::string_view w) { return w.size() <= 3 && all_digits(w); }

bool is_word_byte(unsigned char c) { return std::isalnum(c) || c >= 0x80; }

// Splits a line of folded text into words and clause starts. An apostrophe between letters stays in
// the word ("doesn't", "mother's"); . ; : ! ? end a clause when followed by a space or the end
// ("1.5" does not), as a line break does.
void split_clauses(const std::string& s, PatientText& out) {
  std::string word;
  bool clause_open = false;
  auto end_word = [&] {
    if (word.empty()) return;
    if (one_of(kClauseWords, word)) {
      clause_open = false;
    } else {
      if (!clause_open) out.clause_starts.push_back(out.words.size());
      clause_open = true;
      out.words.push_back(std::move(word));
    }
    word.clear();
  };
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (is_word_byte(c)) {
      word += static_cast<char>(c);
      continue;
    }
    if (c == '\'' && !word.empty() && i + 1 < s.size() &&
        std::isalpha(static_cast<unsigned char>(s[i + 1]))) {
      word += '\'';
      continue;
    }
    end_word();
    const bool stop = c == '.' || c == ';' || c == ':' || c == '!' || c == '?';
    const bool at_break = i + 1 == s.size() || std::isspace(static_cast<unsigned char>(s[i + 1]));
    if ((stop && at_break) || c == '\n') clause_open = false;
  }
  end_word();
}

void mark(PatientText& t, std::size_t from, std::size_t to, WordRole role) {
  for (std::size_t i = from; i < to; ++i)
    if (t.roles[i] == WordRole::Positive) t.roles[i] = role;
}

void mark_scopes(PatientText& t) {
  const auto& w = t.words;
  for (std::size_t i = 0; i < w.size(); ++i) {
    const std::size_t end = t.clause_end(i);
    if (one_of(kNegations, w[i])) {
      mark(t, i, end, WordRole::Negated);
    } else if (w[i] == "ruled" && i + 1 < end && w[i + 1] == "out") {
      // "pneumonia was ruled out": the clause up to here
      auto start = *std::prev(std::upper_bound(t.clause_starts.begin(), t.clause_starts.end(), i));
      mark(t, start, i + 2, WordRole::Negated);
    } else if (w[i] == "family" && i + 1 < end && w[i + 1] == "history") {
      mark(t, i, end, WordRole::Family);
    } else if (one_of(kRelatives, w[i])) {
      for (std::size_t k = i + 1; k < end && k <= i + 2; ++k)
        if (one_of(kRelativeHad, w[k])) {
          mark(t, i, end, WordRole::Family);
          break;
        }
    }
  }
}

void read_age(PatientText& t) {
  const auto& w = t.words;
  for (std::size_t i = 0; i < w.size() && !t.age_years; ++i) {
    if (is_age_number(w[i]) && i + 2 < w.size() && w[i + 2] == "old") {
      for (const auto& unit : kAgeUnits)
        if (w[i + 1] == unit.word) {
          t.age_years = std::stoi(w[i]) * unit.years;
          t.age_phrase = fmt::format("{}-{}-old", w[i], w[i + 1]);
        }
    } else if (is_age_number(w[i]) && i + 1 < w.size() && (w[i + 1] == "yo" || w[i + 1] == "yrs")) {
      t.age_years = std::stoi(w[i]);
      t.age_phrase = w[i] + " " + w[i + 1];
    } else if ((w[i] == "aged" || w[i] == "age") && i + 1 < w.size() && is_age_number(w[i + 1])) {
      t.age_years = std::stoi(w[i + 1]);
      t.age_phrase = w[i] + " " + w[i + 1];
    }
  }
}

void read_sex(PatientText& t) {
  for (std::size_t i = 0; i < t.words.size() && i < kSexWordsRead; ++i)
    for (const auto& s : kSexWords)
      if (t.words[i] == s.word) {
        t.sex = s.sex;
        t.sex_word = s.word;
        return;
      }
}

}  // namespace

std::size_t PatientText::clause_end(std::size_t i) const {
  auto next = std::upper_bound(clause_starts.begin(), clause_starts.end(), i);
  return next == clause_starts.end() ? words.size() : *next;
}

bool is_narrative_stopword(std::string_view word) { return one_of(kNarrativeStopwords, word); }

PatientText read_patient_text(std::string_view text) {
  if (auto n = query_word_count(text); n > kMaxPatientWords)
    throw UsageError(
        fmt::format("description too long: {} words (at most {})", n, kMaxPatientWords));
  PatientText t;
  // line by line: fold() makes a line break a space, and a line break ends a clause
  std::size_t begin = 0;
  while (begin <= text.size()) {
    std::size_t end = std::min(text.find('\n', begin), text.size());
    split_clauses(fold(text.substr(begin, end - begin)), t);
    begin = end + 1;
  }
  t.roles.assign(t.words.size(), WordRole::Positive);
  mark_scopes(t);
  read_age(t);
  read_sex(t);
  return t;
}

}  // namespace trialsearch
