#include "query/hit_snippet.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <vector>

#include "analyzers/strings.hpp"

namespace trialsearch {
namespace {

constexpr std::string_view kOmit = "...";
// The context shown before the first match: at most this share of the snippet's length.
constexpr std::size_t kLeadShare = 4;
// At most this many matches are considered when choosing the window.
constexpr std::size_t kMaxMatches = 256;

// Word bytes: ASCII letters and digits, and every byte of a UTF-8 sequence (as std::isalnum in
// the C locale, plus u >= 0x80), from a table: the window scan tests every byte of the text.
constexpr std::array<bool, 256> kWordByte = [] {
  std::array<bool, 256> t{};
  for (int c = 0; c < 256; ++c)
    t[c] = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
  return t;
}();

bool is_word_byte(char c) { return kWordByte[static_cast<unsigned char>(c)]; }

bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }

// The English stemmer changes at most a word's last two letters of what it keeps ("studies" ->
// "studi", "possible" -> "possibl"): a word stems to `stem` only if it starts with the stem less
// two letters (less one, for short stems). Its few exceptions ("dying" -> "die") are rare enough
// not to matter for choosing where the snippet is.
std::string_view head(std::string_view stem) {
  return stem.substr(0,
                     stem.size() > 4 ? stem.size() - 2 : std::max<std::size_t>(stem.size(), 2) - 1);
}

bool ends_sentence(std::string_view s) {
  return !s.empty() && (s.back() == '.' || s.back() == '?' || s.back() == '!');
}

// True when `pos` starts a sentence: the text's start, or what follows ". ", "? ", "! " or a
// line break (with any white space in between).
bool sentence_starts_at(std::string_view text, std::size_t pos) {
  std::size_t i = pos;
  bool space = false;
  while (i > 0 && std::isspace(static_cast<unsigned char>(text[i - 1]))) {
    if (text[i - 1] == '\n') return true;
    space = true;
    --i;
  }
  if (i == 0) return true;
  return space && ends_sentence(text.substr(0, i));
}

}  // namespace

HitSnippet::HitSnippet(const Xapian::Query& query, std::size_t length) : length_(length) {
  // An unprefixed term is a stem (kStemLanguage): a word of the text matches it when the word
  // is the term itself (an NCT id, a drug code) or stems to it. Prefixed terms (upper-case
  // prefix) are the same words in one field: the unprefixed copy of each is in the query too.
  for (auto it = query.get_unique_terms_begin(); it != query.get_unique_terms_end(); ++it) {
    const std::string& t = *it;
    if (t.empty() || is_upper(t.front())) continue;
    const int unit = static_cast<int>(units_++);
    terms_.try_emplace(t, unit);
    // The head's first two bytes are the term's: they cover the term as a word too.
    std::string_view h = head(t);
    if (std::find(heads_.begin(), heads_.end(), h) == heads_.end()) heads_.emplace_back(h);
    if (h.size() == 1) {
      for (int second = 0; second < 256; ++second)
        starts_.set(start_key(h[0], static_cast<char>(second)));
    } else {
      starts_.set(start_key(h[0], h[1]));
    }
  }
}

std::size_t HitSnippet::start_key(char first, char second) {
  return std::size_t{static_cast<unsigned char>(ascii_lower(first))} << 8 |
         static_cast<unsigned char>(ascii_lower(second));
}

int HitSnippet::unit_of(std::string_view word, std::string& lower) const {
  // Most words cannot match: no query word or stem starts with their first two letters.
  if (!starts_.test(start_key(word[0], word.size() > 1 ? word[1] : '\0'))) return -1;
  lower.clear();
  for (char c : word) lower += ascii_lower(c);
  if (auto w = terms_.find(lower); w != terms_.end()) return w->second;
  // Only words that could stem to a query stem are stemmed.
  if (std::none_of(heads_.begin(), heads_.end(),
                   [&](const std::string& h) { return lower.starts_with(h); }))
    return -1;
  auto [it, inserted] = seen_.try_emplace(lower, -1);
  if (inserted) {
    auto stem = terms_.find(stemmer_(lower));
    if (stem != terms_.end()) it->second = stem->second;
  }
  return it->second;
}

std::pair<std::size_t, std::size_t> HitSnippet::window(std::string_view text) const {
  struct Match {
    std::size_t begin;
    int unit;  ///< which query word or stem
  };
  std::vector<Match> found;
  std::string lower;
  // Matches within one snippet length of the oldest: when they hold every query word, no later
  // window can show more of them, and the scan stops there.
  std::vector<std::size_t> in_window(units_, 0);
  std::size_t distinct = 0, oldest = 0;
  for (std::size_t i = 0; i < text.size() && found.size() < kMaxMatches;) {
    if (!is_word_byte(text[i])) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < text.size() && is_word_byte(text[j])) ++j;
    int unit = unit_of(text.substr(i, j - i), lower);
    if (unit >= 0) {
      found.push_back({i, unit});
      if (in_window[unit]++ == 0) ++distinct;
      while (found.back().begin >= found[oldest].begin + length_)
        if (--in_window[found[oldest++].unit] == 0) --distinct;
      if (distinct == units_) break;
    }
    i = j;
  }
  std::size_t begin = 0;
  if (!found.empty()) {
    // The snippet starts at the match with the most distinct query words (units) within one
    // snippet length after it, then the most matches; the first such when there are several
    // (the scan stopped at the first with every unit).
    std::size_t best = 0, best_score = 0;
    std::vector<bool> seen_unit(units_);
    for (std::size_t i = 0; i < found.size(); ++i) {
      std::fill(seen_unit.begin(), seen_unit.end(), false);
      std::size_t units = 0, count = 0;
      for (std::size_t j = i; j < found.size() && found[j].begin < found[i].begin + length_; ++j) {
        ++count;
        if (!seen_unit[found[j].unit]) {
          seen_unit[found[j].unit] = true;
          ++units;
        }
      }
      std::size_t score = units * kMaxMatches + count;
      if (score > best_score) {
        best_score = score;
        best = i;
      }
    }
    // Some context before the first match: back to its sentence's start if that is near, else
    // to a word start a little before it.
    std::size_t first = found[best].begin;
    begin = first > length_ / kLeadShare ? first - length_ / kLeadShare : 0;
    for (std::size_t i = first; i > begin; --i) {
      if (sentence_starts_at(text, i) && is_word_byte(text[i])) {
        begin = i;
        break;
      }
    }
    while (begin > 0 && begin < first && !std::isspace(static_cast<unsigned char>(text[begin - 1])))
      ++begin;
  }
  // End at a white space, so no word (and no UTF-8 sequence) is cut.
  std::size_t end = std::min(text.size(), begin + length_);
  if (end < text.size()) {
    std::size_t e = end;
    while (e > begin && !std::isspace(static_cast<unsigned char>(text[e]))) --e;
    if (e > begin) end = e;
  }
  return {begin, end};
}

std::string HitSnippet::operator()(std::string_view text, std::string_view hi_start,
                                   std::string_view hi_end) const {
  auto [begin, end] = window(text);
  std::string out;
  if (begin > 0 && !sentence_starts_at(text, begin)) out += kOmit;
  const std::size_t lead = out.size();
  std::string lower;
  bool space = false;
  for (std::size_t i = begin; i < end;) {
    auto c = static_cast<unsigned char>(text[i]);
    if (std::isspace(c)) {  // a run of white space (line breaks included) shows as one space
      space = true;
      ++i;
      continue;
    }
    if (space && out.size() > lead) out += ' ';
    space = false;
    if (!is_word_byte(text[i])) {
      out += text[i++];
      continue;
    }
    std::size_t j = i;
    while (j < end && is_word_byte(text[j])) ++j;
    std::string_view word = text.substr(i, j - i);
    if (unit_of(word, lower) >= 0) {
      out += hi_start;
      out += word;
      out += hi_end;
    } else {
      out += word;
    }
    i = j;
  }
  if (end < text.size() && !ends_sentence(out)) out += kOmit;
  return out;
}

}  // namespace trialsearch
