/// @brief `match`: the trials a patient described in plain text could join. The description's
/// concepts are found in the index's own vocabulary (listed conditions, MeSH terms, intervention
/// names, keywords and alias lists), its words weighed, and trials whose age limits or sex exclude
/// the patient ranked lower (or left out).
#pragma once

#include <xapian.h>

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "query/patient_text.hpp"
#include "query/searcher.hpp"

namespace trialsearch {

/// The most distinct words of a description that are scored: the rarest in the index (the
/// heaviest) are kept. Bounds the work of a long note (BENCHMARKS.md, "match").
inline constexpr std::size_t kMaxMatchScoredWords = 64;

/// The longest concept looked up, in words.
inline constexpr std::size_t kMaxConceptWords = 6;

/// A name from the index's vocabulary found in the description.
struct PatientConcept {
  std::string name;                  ///< its words, folded ("breast cancer")
  std::vector<std::string> sources;  ///< "condition", "mesh", "drug", "keyword", "alias"
  WordRole role = WordRole::Positive;
  std::size_t first_word = 0;  ///< index into PatientText::words
  std::size_t word_count = 0;
};

struct MatchOptions {
  std::string text;                 ///< the description
  std::optional<double> age_years;  ///< given: overrides the age read from the text
  std::string sex;                  ///< given ("female", "male"): overrides the text's
  bool eligible_only = false;       ///< leave out (not only rank lower) excluded trials
  SearchOptions search;             ///< filters, page, facets, explain, output parts
};

struct MatchResult {
  PatientText patient;
  std::optional<double> age_years;  ///< used: given, else read
  std::string sex;                  ///< used: given, else read
  bool age_given = false, sex_given = false;
  std::vector<PatientConcept> concepts;  ///< positive, negated and family, in text order
  std::size_t words_scored = 0;          ///< distinct words scored (at most kMaxMatchScoredWords)
  std::size_t words_read = 0;            ///< distinct words the index holds
  SearchResult result;                   ///< hits, count, facets; explanations with --explain
};

/// Matches a description against `db`. Throws UsageError for a description over
/// kMaxPatientWords words, a bad filter or an unknown facet.
MatchResult match_patient(const Xapian::Database& db, const MatchOptions& options);

/// The `match --json` document: search's JSON with a "patient" object (what was read).
std::string match_result_to_json(const MatchResult& result);

}  // namespace trialsearch
