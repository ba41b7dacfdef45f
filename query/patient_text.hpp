/// @brief Reads a patient's description ("A 66-year-old woman with joint pain... denies chest
/// pain... mother had breast cancer"): its words by clause, which of them are negated or about
/// a relative, and the patient's age and sex. Text only: no database, no network, no model.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace trialsearch {

/// What a word of the description says about the patient.
enum class WordRole : unsigned char {
  Positive,  ///< the patient has it, or it describes them
  Negated,   ///< in the scope of a negation: "no", "denies", "without", "negative for"...
  Family,    ///< about a relative: "mother had breast cancer", "family history of ..."
};

/// The longest description `match` reads, in words (runs of letters and digits): a long
/// clinical note fits, a pasted book does not. Longer text is refused with a UsageError.
inline constexpr std::size_t kMaxPatientWords = 5'000;

/// A description read word by word.
struct PatientText {
  std::vector<std::string> words;  ///< folded words, in order
  std::vector<WordRole> roles;     ///< one per word
  /// Index of the first word of each clause (sentences, and parts joined by "but",
  /// "however"...), ascending, starting with 0: a concept never spans two clauses.
  std::vector<std::size_t> clause_starts;
  std::optional<double> age_years;  ///< "66-year-old", "a 4-month-old" (0.33), "aged 70"
  std::string age_phrase;           ///< the words the age was read from
  std::string sex;                  ///< "female", "male" or empty
  std::string sex_word;             ///< the word the sex was read from ("woman", "boy", "she")

  /// The end of the clause that word `i` is in (one past its last word).
  std::size_t clause_end(std::size_t i) const;
};

/// Reads `text`. Negation scope: from the trigger to the end of its clause (commas and "or"
/// included: "denies smoking, diabetes or chest pain"), and the words of a clause before
/// "was ruled out". Family: from a relative's name followed by what they had ("mother had",
/// "father died of", "sister with") and from "family history" to the end of the clause; "her
/// mother reports that she ..." stays the patient's. The age is the first "N-year-old",
/// "N-month-old" (also weeks, days), "N yo", "aged N" or "age N"; the sex the first word that
/// names it (woman, man, girl, boy, female, male, she, he...). Throws UsageError when the text
/// has more than kMaxPatientWords words.
PatientText read_patient_text(std::string_view text);

/// Whether `word` (folded) is a common English or clinical-narrative word that says nothing
/// about a trial ("the", "presents", "history", "year"): not scored, and no concept starts or
/// ends with one.
bool is_narrative_stopword(std::string_view word);

}  // namespace trialsearch
