/// @brief Snippets of a hit's long text: the part where the query's words are is found first,
/// cheaply, and only that part goes to Xapian's MSet::snippet to choose and highlight.
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

  /// A snippet of `text` for a hit of `mset`: the same as MSet::snippet over the whole text when
  /// the query's words occur in it, at a cost that does not grow with the text's length (only
  /// a window of about three snippet lengths around the densest matches is handed to Xapian).
  /// Without any query word in the text, the snippet is the text's beginning.
  std::string operator()(const Xapian::MSet& mset, const std::string& text,
                         const std::string& hi_start, const std::string& hi_end) const;

  /// Byte range [first, second) of `text` handed to MSet::snippet (exposed for tests).
  std::pair<std::size_t, std::size_t> window(std::string_view text) const;

 private:
  bool matches(const std::string& word) const;

  std::size_t length_;
  std::unordered_set<std::string> words_;  ///< unprefixed query terms
  std::unordered_set<std::string> stems_;  ///< `Z` query terms without the Z
  std::vector<std::string> heads_;         ///< a start every word of each stem has: a pre-test
  std::bitset<256> first_bytes_;           ///< first bytes of words_ and heads_: a cheaper one
  Xapian::Stem stemmer_{"english"};
  mutable std::unordered_map<std::string, bool> seen_;  ///< word -> its stem is a query stem
};

}  // namespace trialsearch
