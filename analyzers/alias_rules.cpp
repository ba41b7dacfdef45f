#include "analyzers/alias_rules.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <vector>

#include "analyzers/strings.hpp"

namespace trialsearch {
namespace {

// Words that make a name a placebo, sham or control, wherever they stand in it.
constexpr std::array<std::string_view, 14> kNotADrugWords{
    "placebo",  "placebos", "sham",   "vehicle",  "dummy", "comparator",  "control",
    "controls", "inactive", "nocebo", "waitlist", "usual", "observation", "none"};

// Phrases with the same meaning, matched as whole words anywhere in the name.
constexpr std::array<std::string_view, 14> kNotADrugPhrases{
    "standard of care",   "standard care",
    "standard treatment", "standard therapy",
    "supportive care",    "no intervention",
    "no treatment",       "no drug",
    "wait list",          "sugar pill",
    "watchful waiting",   "treatment as usual",
    "no therapy",         "best available therapy"};

constexpr std::array<std::string_view, 30> kStopwords{
    "a",   "an",   "and",   "as",   "at",    "by",   "for", "from", "in",      "into",
    "is",  "of",   "on",    "or",   "other", "plus", "the", "to",   "versus",  "vs",
    "via", "with", "alone", "only", "na",    "n/a",  "tbd", "nos",  "unknown", "others"};

// Numbers' companions in a dose or schedule.
constexpr std::array<std::string_view, 56> kDoseWords{
    "mg",     "mcg",   "ug",     "g",      "kg",    "ml",    "l",     "iu",    "u",      "unit",
    "units",  "mmol",  "meq",    "m2",     "m",     "day",   "days",  "daily", "week",   "weeks",
    "weekly", "month", "months", "hour",   "hours", "hr",    "h",     "min",   "dose",   "doses",
    "dosage", "bid",   "tid",    "qid",    "qd",    "once",  "twice", "times", "x",      "q",
    "per",    "every", "cycle",  "cycles", "level", "low",   "high",  "mid",   "medium", "and",
    "or",     "to",    "of",     "on",     "at",    "single"};

// First words of arm and product labels ("drug a", "arm 2", "study drug").
constexpr std::array<std::string_view, 26> kLabelWords{"arm",
                                                       "group",
                                                       "cohort",
                                                       "part",
                                                       "stage",
                                                       "step",
                                                       "period",
                                                       "level",
                                                       "regimen",
                                                       "treatment",
                                                       "drug",
                                                       "agent",
                                                       "medication",
                                                       "product",
                                                       "intervention",
                                                       "study",
                                                       "experimental",
                                                       "active",
                                                       "investigational",
                                                       "test",
                                                       "reference",
                                                       "dose",
                                                       "formulation",
                                                       "therapy",
                                                       "schedule",
                                                       "sequence"};

// Last words of names of many drugs.
constexpr std::array<std::string_view, 18> kClassWords{
    "agents",      "agent",      "drugs",           "inhibitors",   "medications",
    "medicines",   "regimen",    "regimens",        "chemotherapy", "chemotherapies",
    "antibiotics", "steroids",   "corticosteroids", "analgesics",   "supplements",
    "vitamins",    "medication", "combination"};

// One-word names of a class of drugs, the backstop for what the shape of a name cannot tell.
constexpr std::array<std::string_view, 16> kClassNames{
    "chemotherapy",   "immunotherapy", "platinum",    "taxane",    "taxanes", "anthracycline",
    "anthracyclines", "opioid",        "opioids",     "opiates",   "steroid", "steroids",
    "corticosteroid", "antibiotic",    "antibiotics", "biosimilar"};

// Names of endogenous molecules: the first word (or the words before "colony stimulating
// factor") of an interleukin, a colony-stimulating factor, an interferon, a tumour necrosis factor.
constexpr std::array<std::string_view, 2> kInterleukinWords{"interleukin", "il"};
constexpr std::array<std::string_view, 6> kColonyFactorWords{
    "g", "gm", "m", "granulocyte", "macrophage", "granulocytemacrophage"};
constexpr std::array<std::string_view, 3> kInterferonWords{"interferon", "ifn", "tnf"};
constexpr std::array<std::string_view, 10> kGreekLetterWords{
    "alpha", "alfa", "beta", "gamma", "a", "b", "g", "\u03b1", "\u03b2", "\u03b3"};

// Separators between drug names in one combination name.
constexpr std::array<std::string_view, 6> kCombinationSeparators{" + ",    " and ", " / ",
                                                                 " with ", ", ",    " plus "};

template <std::size_t N>
bool in(const std::array<std::string_view, N>& list, std::string_view word) {
  return std::find(list.begin(), list.end(), word) != list.end();
}

bool word_byte(char c) {
  auto u = static_cast<unsigned char>(c);
  return std::isalnum(u) || u >= 0x80;
}

std::vector<std::string_view> words_of(std::string_view key) {
  std::vector<std::string_view> words;
  std::size_t i = 0;
  while (i < key.size()) {
    while (i < key.size() && !word_byte(key[i])) ++i;
    std::size_t from = i;
    while (i < key.size() && word_byte(key[i])) ++i;
    if (i > from) words.push_back(key.substr(from, i - from));
  }
  return words;
}

bool roman(std::string_view word) {
  return !word.empty() && word.size() <= 4 &&
         word.find_first_not_of("ivx") == std::string_view::npos;
}

// "a", "b2", "12", "iii": what follows a label word.
bool label_suffix(std::string_view word) {
  return word.size() <= 2 || all_digits(word) || roman(word);
}

bool starts_with_numbered(std::string_view word, std::string_view stem) {
  return word.size() > stem.size() && word.substr(0, stem.size()) == stem &&
         all_digits(word.substr(stem.size()));
}

// "il-2", "il2", "interleukin 12", "gm-csf", "gcsf", "granulocyte colony stimulating factor",
// "interferon", "ifn-gamma", "tnf alpha": the molecule, not one product of it.
bool molecule_name(const std::vector<std::string_view>& words) {
  if (words.size() == 1) {
    auto w = words[0];
    return starts_with_numbered(w, "il") || starts_with_numbered(w, "interleukin") || w == "gcsf" ||
           w == "gmcsf" || w == "mcsf" || w == "interferon";
  }
  if (words.size() == 2 && in(kInterleukinWords, words[0]) && all_digits(words[1])) return true;
  if (words.size() == 2 && in(kInterferonWords, words[0]) && in(kGreekLetterWords, words[1]))
    return true;
  std::size_t factor = words.size();  // where "csf" or "colony stimulating factor" starts
  if (words.back() == "csf") {
    factor = words.size() - 1;
  } else if (words.size() >= 4 && words[words.size() - 3] == "colony" &&
             words[words.size() - 2] == "stimulating" && words.back() == "factor") {
    factor = words.size() - 3;
  }
  return factor < words.size() && factor > 0 &&
         std::all_of(words.begin(), words.begin() + static_cast<std::ptrdiff_t>(factor),
                     [](std::string_view w) { return in(kColonyFactorWords, w); });
}

bool contains_phrase(std::string_view key, std::string_view phrase) {
  for (std::size_t at = key.find(phrase); at != std::string_view::npos;
       at = key.find(phrase, at + 1)) {
    bool starts = at == 0 || !word_byte(key[at - 1]);
    std::size_t end = at + phrase.size();
    bool ends = end == key.size() || !word_byte(key[end]);
    if (starts && ends) return true;
  }
  return false;
}

}  // namespace

NameVerdict name_verdict(std::string_view key) {
  std::vector<std::string_view> words = words_of(key);
  if (words.empty()) return NameVerdict::Empty;
  if (words.size() > kMaxNameWords) return NameVerdict::Description;
  for (auto w : words)
    if (in(kNotADrugWords, w)) return NameVerdict::NotADrug;
  for (auto p : kNotADrugPhrases)
    if (contains_phrase(key, p)) return NameVerdict::NotADrug;
  if (std::all_of(words.begin(), words.end(), [](std::string_view w) { return in(kStopwords, w); }))
    return NameVerdict::Stopword;  // "and", "and/or"
  if (std::all_of(words.begin(), words.end(),
                  [](std::string_view w) { return all_digits(w) || in(kDoseWords, w); }))
    return NameVerdict::DoseOnly;
  // One to three letters: an abbreviation that names several things ("dm", "dex", "mmf",
  // "peg"); with a digit it is a code ("5fu", "6mp") and stays.
  if (words.size() == 1 && key.size() <= 3 && std::none_of(key.begin(), key.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c));
      }))
    return NameVerdict::TooShort;
  if (in(kLabelWords, words[0]) &&
      std::all_of(words.begin() + 1, words.end(),
                  [](std::string_view w) { return label_suffix(w) || in(kLabelWords, w); }))
    return NameVerdict::ArmLabel;
  if (words.size() > 1 && in(kClassWords, words.back())) return NameVerdict::DrugClass;
  if (words.size() == 1 && in(kClassNames, words[0])) return NameVerdict::DrugClass;
  if (molecule_name(words)) return NameVerdict::Molecule;
  for (auto s : kCombinationSeparators)
    if (key.find(s) != std::string_view::npos) return NameVerdict::DrugClass;
  return NameVerdict::Linkable;
}

std::string_view verdict_label(NameVerdict verdict) {
  switch (verdict) {
    case NameVerdict::Linkable:
      return "linkable";
    case NameVerdict::Empty:
      return "empty";
    case NameVerdict::TooShort:
      return "too short";
    case NameVerdict::Stopword:
      return "a stopword";
    case NameVerdict::NotADrug:
      return "placebo, sham or control";
    case NameVerdict::DoseOnly:
      return "a dose or schedule only";
    case NameVerdict::ArmLabel:
      return "an arm or product label";
    case NameVerdict::DrugClass:
      return "a class, regimen or combination of drugs";
    case NameVerdict::Molecule:
      return "a molecule that several products are";
    case NameVerdict::Description:
      return "a description, not a name";
  }
  return "";
}

bool placebo_arm_type(std::string_view arm_type) {
  std::string t;
  for (char c : arm_type)
    t += std::isalpha(static_cast<unsigned char>(c))
             ? static_cast<char>(std::toupper(static_cast<unsigned char>(c)))
             : '_';
  return t == "PLACEBO_COMPARATOR" || t == "SHAM_COMPARATOR" || t == "NO_INTERVENTION";
}

}  // namespace trialsearch
