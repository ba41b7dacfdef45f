/// @brief Snippets of a hit's long text: the part where most of the query's words are, with
/// those words highlighted, shown as plain text.
#pragma once

#include <xapian.h>

#include <bitset>
#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "analyzers/fields.hpp"

namespace trialsearch {

/// The words of one query that a snippet highlights (its unprefixed terms, which are stems, and
/// the words stemming to them), and a stem cache shared by the hits of that query.
class HitSnippet {
 public:
  /// `length` is the snippet length in bytes, as for MSet::snippet.
  HitSnippet(const Xapian::Query& query, std::size_t length);

  /// A snippet of `text`: at most `length` bytes of it (white space runs shown as one space),
  /// starting near the first match with every query word (or stem) within one snippet length
  /// after it, else the most of them, at a sentence start when one is close; query words and words
  /// stemming to a query stem are wrapped in `hi_start` and `hi_end`; "..." marks text left out
  /// before and after. Without any query word in the text, the snippet is the text's beginning. The
  /// text is not escaped (unlike Xapian's MSet::snippet, which writes HTML entities): it goes to a
  /// terminal or to JSON.
  std::string operator()(std::string_view text, std::string_view hi_start,
                         std::string_view hi_end) const;

  /// Byte range [first, second) of `text` that the snippet shows (exposed for tests).
  std::pair<std::size_t, std::size_t> window(std::string_view text) const;

 private:
  /// The query word or stem `word` (as in the text) is, or stems to: its unit number; -1 for
  /// none. `lower` is scratch space.
  int unit_of(std::string_view word, std::string& lower) const;
  /// Index into starts_ of a word's first two bytes (the second 0 for a one-letter word).
  static std::size_t start_key(char first, char second);

  std::size_t length_;
  std::size_t units_ = 0;                       ///< query words and stems, numbered
  std::unordered_map<std::string, int> terms_;  ///< unprefixed query terms (stems) -> unit
  std::vector<std::string> heads_;              ///< a start every word of each stem has
  std::bitset<65536> starts_;                   ///< first two bytes of heads_
  Xapian::Stem stemmer_{std::string(kStemLanguage)};
  mutable std::unordered_map<std::string, int> seen_;  ///< word -> unit_of(word), cached
};

}  // namespace trialsearch
