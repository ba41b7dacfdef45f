/// @brief Snippets of a hit's long text: the part where most of the query's words are, with
/// those words highlighted, shown as plain text.
#pragma once

#include <xapian.h>

#include <bitset>
#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace trialsearch {

/// The words of one query that MSet::snippet can highlight (unprefixed terms and the stems of
/// `Z` terms), and a stem cache shared by the hits of that query.
class HitSnippet {
 public:
  /// `length` is the snippet length in bytes, as for MSet::snippet.
  HitSnippet(const Xapian::Query& query, std::size_t length);

  /// A snippet of `text`: at most `length` bytes of it (white space runs shown as one space),
  /// starting near the match with the most distinct query words after it, at a sentence start
  /// when one is close; query words and words stemming to a query stem are wrapped in
  /// `hi_start` and `hi_end`; "..." marks text left out before and after. Without any query
  /// word in the text, the snippet is the text's beginning. The text is not escaped (unlike
  /// Xapian's MSet::snippet, which writes HTML entities): it goes to a terminal or to JSON.
  std::string operator()(std::string_view text, std::string_view hi_start,
                         std::string_view hi_end) const;

  /// Byte range [first, second) of `text` that the snippet shows (exposed for tests).
  std::pair<std::size_t, std::size_t> window(std::string_view text) const;

 private:
  /// Whether `word` (as in the text) is a query word or stems to a query stem; `lower` is
  /// scratch space.
  bool matches(std::string_view word, std::string& lower) const;

  std::size_t length_;
  std::unordered_set<std::string> words_;  ///< unprefixed query terms
  std::unordered_set<std::string> stems_;  ///< `Z` query terms without the Z
  std::vector<std::string> heads_;         ///< a start every word of each stem has: a pre-test
  std::bitset<256> first_bytes_;           ///< first bytes of words_ and heads_: a cheaper one
  Xapian::Stem stemmer_{"english"};
  mutable std::unordered_map<std::string, bool> seen_;  ///< word -> its stem is a query stem
};

}  // namespace trialsearch
