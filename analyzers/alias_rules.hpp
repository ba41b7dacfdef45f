/// @brief Which intervention names may take part in a drug alias link: placebos, controls, doses,
/// arm labels, drug classes and stopwords never do.
#pragma once

#include <string_view>

namespace trialsearch {

/// Why a name cannot be linked as a drug alias; Linkable when it can.
enum class NameVerdict {
  Linkable,
  Empty,        ///< nothing left after folding
  TooShort,     ///< one word of three characters or fewer without a digit: an ambiguous
                ///< abbreviation ("dm", "dex", "mmf", "peg"); "5fu" is a code
  Stopword,     ///< "and", "the", "with"...
  NotADrug,     ///< placebo, sham, vehicle, control, comparator, usual care, no intervention...
  DoseOnly,     ///< "100 & 400 mcg", "10 mg/kg", "day 1-5": numbers and units only
  ArmLabel,     ///< "drug a", "arm 2", "group b", "study drug", "cohort 1"
  DrugClass,    ///< "anti-hypertensive agents", "chemotherapy", "cmf regimen": many drugs
  Molecule,     ///< "IL-2", "interleukin-2", "GM-CSF", "G-CSF", "interferon alpha": an endogenous
                ///< molecule that several products are and many trials measure
  Description,  ///< more than kMaxNameWords words: a sentence, not a name
};

/// Most words a linkable name has.
inline constexpr unsigned kMaxNameWords = 8;

/// The verdict on an alias key (alias_graph.hpp's alias_key(): folded, trimmed, codes
/// canonical). Each rule is generic (the shape of the name); the short word lists are the
/// vocabulary of trial designs (placebo, sham, comparator) and of English, not of drugs.
NameVerdict name_verdict(std::string_view key);

/// True when name_verdict(key) is Linkable.
inline bool linkable_name(std::string_view key) {
  return name_verdict(key) == NameVerdict::Linkable;
}

/// A short English label for a verdict ("placebo or control", "dose only"...).
std::string_view verdict_label(NameVerdict verdict);

/// True for an arm type whose interventions are placebos or shams (PLACEBO_COMPARATOR,
/// SHAM_COMPARATOR, NO_INTERVENTION, and the legacy XML spellings).
bool placebo_arm_type(std::string_view arm_type);

}  // namespace trialsearch
