/// @brief "More like this": trials similar to one or several source trials, by relevance feedback
/// over drug, condition, MeSH and text terms.
#pragma once

#include <xapian.h>

#include <array>
#include <string>
#include <vector>

#include "indexer/trial.hpp"
#include "query/trial_query_parser.hpp"

namespace trialsearch {

/// A group of terms a similarity can rest on: the schema fields whose terms it takes, and how
/// much a shared term counts (shared drugs and conditions say more than shared words).
struct SimilarGroup {
  std::string_view name;    ///< in the --only spelling
  std::string_view fields;  ///< space-separated schema field names
  double weight;
};

// Words come from the title, keywords and summary only: the unprefixed index also holds sites
// and sponsors, whose words (cities, "institute") make trials look alike for the wrong reason.
// Shared drugs and conditions say more than shared words. Every suggestion of the first tier
// shares a condition concept already, so within it the drugs lead (scripts/eval-similar, five
// samples: drug 5 / condition 2 / MeSH 2 gave intervention overlap 0.314 and MeSH 1.47x;
// 3 / 4 / 3, the weights from before the tiers, 0.298 and 1.48x).
inline constexpr std::array kSimilarGroups{
    SimilarGroup{"drug", "intervention drug-name drug-code", 5.0},
    SimilarGroup{"condition", "condition", 2.0},
    SimilarGroup{"mesh", "mesh mesh-term", 2.0},
    SimilarGroup{"text", "title keyword summary", 1.0},
};

/// The groups' names joined by `separator`: "drug,condition,mesh,text".
std::string similar_group_names(std::string_view separator);

struct SimilarOptions {
  std::vector<std::string> ids;  ///< source NCT ids
  std::size_t limit = 10;
  SearchFilters filters;          ///< restrict the suggestions, never the sources
  std::vector<std::string> only;  ///< term groups to use (empty: all)
  std::vector<std::string> drop;  ///< words or terms to leave out
  bool explain = false;
  bool records = true;  ///< false: hits carry only their NCT id (for --ids)
};

/// A term a suggestion shares with the sources.
struct SharedTerm {
  std::string group;  ///< drug, condition, mesh or text
  std::string term;   ///< the Xapian term
  std::string word;   ///< the word as the sources spell it (the term is its stem), else the
                      ///< term without its prefix
  double weight = 0;  ///< its relevance-feedback weight
};

struct SimilarHit {
  std::size_t rank = 0;
  double weight = 0;
  Trial trial;
  std::vector<SharedTerm> shared;  ///< with SimilarOptions::explain
  /// With SimilarOptions::explain: the sources' condition concepts it has (MeSH descriptors,
  /// condition names), which rank it above every suggestion that has none.
  std::vector<std::string> same_conditions;
};

struct SimilarResult {
  std::vector<std::string> sources;
  std::vector<SharedTerm> terms;  ///< the terms the similarity query used, strongest first
  std::vector<SimilarHit> hits;
};

/// Trials like the sources taken together. The suggestions that share a condition concept
/// with the sources (a condition MeSH descriptor or condition name) come first, unless `only`
/// leaves conditions and MeSH out. Throws UsageError with no ids or an unknown group
/// name, RuntimeError naming an id that is not in the database.
SimilarResult find_similar(const Xapian::Database& db, const SimilarOptions& options);

/// The result as one JSON document (`similar --json`).
std::string similar_result_to_json(const SimilarResult& result);

/// One suggestion as a JSON object (a `similar --jsonl` line).
std::string similar_hit_to_json(const SimilarHit& hit);

/// The group of a term (drug, condition, mesh, text), or empty for terms similarity ignores.
std::string similarity_group(std::string_view term);

}  // namespace trialsearch
