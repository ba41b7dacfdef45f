/// @brief Runs a search: ranked hits with record fields, snippets, facet counts over the whole
/// match set, "did you mean", and per-hit explanations.
#pragma once

#include <xapian.h>

#include <cstdint>
#include <string>
#include <vector>

#include "analyzers/alias_expansion.hpp"
#include "indexer/trial.hpp"
#include "query/hit_snippet.hpp"
#include "query/trial_query_parser.hpp"

namespace trialsearch {

enum class SortOrder { Relevance, Start, Updated, Enrollment };

/// Length of a hit's snippet, in bytes of record text.
inline constexpr std::size_t kHitSnippetLength = 200;

/// Default of SearchOptions::exact_count_limit (BENCHMARKS.md, "exact counts").
inline constexpr std::size_t kExactCountLimit = 1'000;

struct SearchOptions {
  std::string query;
  MatchMode mode = MatchMode::Relaxed;
  SearchFilters filters;
  SortOrder sort = SortOrder::Relevance;
  std::size_t limit = 10;
  std::size_t offset = 0;
  std::vector<std::string> facets;  ///< names from kFacets (fields.hpp)
  bool explain = false;
  AliasMode aliases = AliasMode::On;  ///< how far drug names expand (--aliases)
  /// Matches counted one by one, so that a count up to this many is exact
  /// (SearchResult::total_exact); above it, the count is Xapian's estimate ("about N"). Facets
  /// count every match whatever this says. 0: the estimate only (BENCHMARKS.md, "exact counts").
  std::size_t exact_count_limit = kExactCountLimit;
  /// Read each hit's stored record and make its snippet; false fills only Hit::trial.nct_id
  /// (from the id term), which is all `--ids` prints.
  bool records = true;
  /// Highlight markers put around matched words in snippets (empty: none).
  std::string highlight_start;
  std::string highlight_end;
};

struct FacetCount {
  std::string value;
  std::uint64_t count = 0;
};

struct Facet {
  std::string name;
  std::vector<FacetCount> counts;  ///< most frequent first
};

/// Why a hit matched: one entry per matching term.
struct MatchedTerm {
  std::string field;  ///< schema field name, or "text" for the unprefixed free-text index
  std::string term;   ///< the Xapian term
  std::string word;   ///< the query word whose stem the term is, else the term without prefix
  std::string via;    ///< for a synonym: "alias of X via NCT... / lexicon ..."; else empty
};

struct Hit {
  std::size_t rank = 0;  ///< 1-based, offset included
  double weight = 0;
  int percent = 0;
  Trial trial;  ///< the parts of its record a hit shows (RecordParts::Hit)
  std::string snippet;
  std::vector<MatchedTerm> matched;  ///< filled with SearchOptions::explain
};

struct SearchResult {
  std::string query;
  std::string parsed;  ///< Xapian's description of the query run
  std::uint64_t total = 0;
  bool total_exact = false;
  std::uint64_t total_at_least = 0;  ///< when not exact: matches certainly there
  std::vector<Hit> hits;
  std::vector<Facet> facets;
  std::string did_you_mean;
  /// True when no trial has every word of a query of several, and `did_you_mean` (the words
  /// corrected) has all-words matches: `did_you_mean_matches` of them.
  /// With SearchOptions::explain: what the query searched, one readable line each (words and
  /// where, aliases added, filters, ranges, how words combine).
  std::vector<std::string> explain_summary;
  bool no_all_words_match = false;
  std::uint64_t did_you_mean_matches = 0;
};

/// Searches `db`. Throws UsageError for a query syntax error or an unknown facet name.
SearchResult search(const Xapian::Database& db, const SearchOptions& options);

/// search()'s count of `query` (and its facets, SearchOptions::facets) into `result`: exact up to
/// SearchOptions::exact_count_limit, never below `shown` (offset + hits on the page). For
/// callers that rank themselves (`match`). Throws UsageError for an unknown facet name.
void count_into(const Xapian::Database& db, const Xapian::Query& query,
                const SearchOptions& options, std::uint64_t shown, SearchResult& result);

/// A hit's record and snippet as search() makes them (only the NCT id when
/// SearchOptions::records is false); rank, weight and explanation are the caller's.
Hit read_hit(const Xapian::Document& doc, const HitSnippet& snippet, const SearchOptions& options);

/// The result as one JSON document (the `search --json` output).
std::string search_result_to_json(const SearchResult& result);

/// One hit as a JSON object (a `search --jsonl` line).
std::string hit_to_json(const Hit& hit);

/// Which schema field a term belongs to ("text" for unprefixed, stemmed forms included).
std::string field_of_term(std::string_view term, std::string* word = nullptr);

}  // namespace trialsearch
