/// @brief Turns what a user types into a Xapian query: QueryParser set up from the schema table,
/// the same folding and drug-code canonicalisation as the indexer, synonyms, ranges, filters.
#pragma once

#include <xapian.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzers/alias_expansion.hpp"
#include "analyzers/fields.hpp"

namespace trialsearch {

/// Structured filters (the search/similar flags). Values are matched like `field:value`.
struct SearchFilters {
  std::vector<std::string> status;  ///< any of these
  std::vector<std::string> phase;   ///< any of these ("2", "1/2", "PHASE2")
  std::vector<std::string> type;
  std::vector<std::string> country;
  std::vector<std::string> sex;        ///< trials open to this sex: "female" matches ALL and FEMALE
  std::optional<int> age_years;        ///< trials whose age limits include this age
  bool healthy = false;                ///< only trials accepting healthy volunteers
  std::string since;                   ///< last update on or after this date (YYYY[-MM[-DD]])
  std::vector<std::string> age_group;  ///< any of these (child, adult, "older adult")
  std::vector<std::string> sponsor_class;  ///< funder types: any of these (nih, industry...)
  std::string results;                     ///< "yes": results posted; "no": none; empty: either

  bool empty() const {
    return status.empty() && phase.empty() && type.empty() && country.empty() && sex.empty() &&
           !age_years && !healthy && since.empty() && age_group.empty() && sponsor_class.empty() &&
           results.empty();
  }
};

/// How unfielded words combine.
enum class MatchMode {
  All,      ///< every word must match
  Any,      ///< any word may match
  Relaxed,  ///< trials matching every word first, then partial matches ranked lower
};

/// A query split so that its best matches can be found without scanning its partial matches:
/// every match of `top` has the same weight in `query` as in `top`, and every match of `query`
/// not in `top` has a weight of at most the maximum possible weight of `rest`. So when `top`'s
/// k-th best weight exceeds that maximum, `top`'s first k hits are `query`'s.
struct QueryTiers {
  Xapian::Query query;  ///< the whole query
  Xapian::Query top;    ///< empty when the query has no such split
  Xapian::Query rest;   ///< every match of `query` (a superset of the partial matches)
};

/// The most words a query with syntax (operators, fields, quotes, wildcards) may have (runs of
/// letters and digits, however joined), and the most trailing wildcards (`belim*`): longer
/// queries are refused with a UsageError. Measured at 100,000 synthetic studies
/// (BENCHMARKS.md): 64 common words take 0.7 s in relaxed or any mode, 128 take 1.7 s; 16
/// wildcards 0.4 s, 32 take 0.8 s; 10,000 words did not finish.
inline constexpr std::size_t kMaxQueryWords = 64;
inline constexpr std::size_t kMaxQueryWildcards = 16;

/// Pasted text: a query of more than kLongQueryWords words with no operator (AND, OR, NOT...),
/// no `field:` and no trailing wildcard is read as plain words, whatever its punctuation (a quote
/// in it is not a phrase, a colon not a field): common words are dropped (is_narrative_stopword()),
/// and the trials are ranked by the words' weight, none of them required. At most kMaxPastedWords
/// words; of its distinct words, the kMaxScoredWords rarest in the index are scored, which
/// bounds the work as kMaxQueryWords does.
inline constexpr std::size_t kLongQueryWords = 16;
inline constexpr std::size_t kMaxPastedWords = 5'000;
inline constexpr std::size_t kMaxScoredWords = 64;

/// A trailing wildcard (`belim*`) expands to at most this many terms in each field, the most
/// frequent ones.
inline constexpr unsigned kMaxWildcardTerms = 100;

/// The words of `text` as kMaxQueryWords counts them.
std::size_t query_word_count(std::string_view text);

/// The trailing wildcards of `text` as kMaxQueryWildcards counts them (a `*` after a word).
std::size_t query_wildcard_count(std::string_view text);

/// Whether `text` is read as pasted text (see kLongQueryWords).
bool is_pasted_text(std::string_view text);

class TrialQueryParser {
 public:
  /// The database supplies synonyms, spelling data and term existence for code rewriting.
  explicit TrialQueryParser(const Xapian::Database& db);
  ~TrialQueryParser();
  TrialQueryParser(const TrialQueryParser&) = delete;
  TrialQueryParser& operator=(const TrialQueryParser&) = delete;

  /// How far drug names are expanded to their aliases (default On); Off parses without the
  /// synonym table.
  void set_alias_mode(AliasMode mode);

  /// Parses a query string (AND OR NOT, parentheses, "phrases", trailing wildcards, field:value,
  /// ranges start:2023..2025 updated:2025-01-01.. enrollment:100..500). Throws UsageError with a
  /// one-line message on a syntax error or a query over kMaxQueryWords words or
  /// kMaxQueryWildcards wildcards (pasted text: kMaxPastedWords words). An empty query matches
  /// every trial.
  Xapian::Query parse(std::string_view text, MatchMode mode = MatchMode::Relaxed) const;

  /// parse(), and for several plain words in relaxed mode the all-words tier and the rest.
  QueryTiers parse_tiers(std::string_view text, MatchMode mode = MatchMode::Relaxed) const;

  /// The query string as the QueryParser sees it: folded, codes canonicalised.
  std::string fold_query(std::string_view text) const;

  /// A filter query for the flags (Query::MatchAll when there are none). Throws UsageError for
  /// an unparseable --since date.
  Xapian::Query filter(const SearchFilters& filters) const;

  /// A spelling correction for the last parse() when the database has one, else empty. Looked up
  /// when called (a trigram scan of the spelling table per word), not during parse().
  std::string corrected() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// The filter term for `field:value` as the indexer writes it; for phases, "2" and "phase 2"
/// both give the PHASE2 term. Exposed for the schema-consistency tests.
std::string filter_term(const FieldSpec& spec, std::string_view value);

}  // namespace trialsearch
