#include "analyzers/drug_codes.hpp"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cstdint>
#include <iterator>

#include "analyzers/strings.hpp"

namespace trialsearch {
namespace {

constexpr std::size_t kMaxLetters = 6;
constexpr std::size_t kMinDigits = 2;
constexpr std::size_t kMaxDigits = 8;
constexpr std::size_t kMinSpacedDigits = 3;
constexpr std::size_t kMaxDashTail = 6;
constexpr std::size_t kMaxTailLetters = 3;
constexpr std::size_t kMaxTailDigits = 3;

// Sorted, lower case: letter parts that, separated from a number, are words and not codes.
constexpr std::string_view kCommonWords[] = {
    "about",    "after",    "age",     "aged",      "ages",     "all",    "amendment", "and",
    "annex",    "appendix", "apr",     "april",     "area",     "arm",    "arms",      "article",
    "at",       "aug",      "august",  "batch",     "bed",      "before", "block",     "box",
    "by",       "case",     "chapter", "class",     "code",     "cohort", "course",    "cycle",
    "day",      "days",     "dec",     "december",  "dose",     "doses",  "during",    "feb",
    "february", "fig",      "figure",  "floor",     "for",      "form",   "from",      "grade",
    "group",    "hour",     "hours",   "hr",        "in",       "item",   "jan",       "january",
    "jul",      "july",     "jun",     "june",      "kg",       "level",  "line",      "list",
    "lot",      "mar",      "march",   "max",       "may",      "mg",     "min",       "minute",
    "minutes",  "ml",       "month",   "months",    "no",       "nov",    "november",  "nr",
    "number",   "oct",      "october", "of",        "or",       "page",   "part",      "patient",
    "patients", "per",      "period",  "phase",     "protocol", "room",   "round",     "score",
    "section",  "sep",      "sept",    "september", "site",     "stage",  "step",      "studies",
    "study",    "table",    "the",     "to",        "trial",    "type",   "unit",      "version",
    "visit",    "week",     "weeks",   "with",      "year",     "years",
};

static_assert(std::is_sorted(std::begin(kCommonWords), std::end(kCommonWords)));

/// Letter parts never taken as codes in any form: trial registry ids (NCT05869955, ISRCTN...).
constexpr std::string_view kNeverCodes[] = {"isrctn", "nct"};

bool is_ascii_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_ascii_digit(char c) { return c >= '0' && c <= '9'; }
bool is_ascii_upper(char c) { return c >= 'A' && c <= 'Z'; }

/// The code point starting at byte i (or -1 for invalid UTF-8 or the end), with its length.
UChar32 next_code_point(std::string_view text, std::size_t i, std::size_t& length) {
  if (i >= text.size()) {
    length = 0;
    return -1;
  }
  auto offset = static_cast<int32_t>(i);
  UChar32 c = 0;
  U8_NEXT(reinterpret_cast<const uint8_t*>(text.data()), offset, static_cast<int32_t>(text.size()),
          c);
  length = static_cast<std::size_t>(offset) - i;
  return c;
}

/// The code point ending just before byte i (or -1), with the byte where it starts.
UChar32 previous_code_point(std::string_view text, std::size_t i, std::size_t& start) {
  if (i == 0) {
    start = 0;
    return -1;
  }
  auto offset = static_cast<int32_t>(i);
  UChar32 c = 0;
  U8_PREV(reinterpret_cast<const uint8_t*>(text.data()), 0, offset, c);
  start = static_cast<std::size_t>(offset);
  return c;
}

bool is_alnum(UChar32 c) { return c >= 0 && u_isalnum(c); }

bool is_dash(UChar32 c) {
  return c == '-' || c == 0x2212 || (c > 0x7f && u_charType(c) == U_DASH_PUNCTUATION);
}

bool is_space(UChar32 c) { return c == ' ' || (c > 0x7f && u_charType(c) == U_SPACE_SEPARATOR); }

/// A code may start at byte i: no letter or digit before it, and no "word-" before it either
/// ("anti-CD19" is one hyphenated word, not a code).
bool starts_word(std::string_view text, std::size_t i) {
  std::size_t start = 0;
  UChar32 before = previous_code_point(text, i, start);
  if (before < 0) return true;
  if (is_alnum(before)) return false;
  if (is_dash(before)) {
    std::size_t ignored = 0;
    return !is_alnum(previous_code_point(text, start, ignored));
  }
  return true;
}

bool ends_word(std::string_view text, std::size_t i) {
  std::size_t length = 0;
  return !is_alnum(next_code_point(text, i, length));
}

bool in_list(std::string_view lower_letters, const auto& sorted_list) {
  return std::binary_search(std::begin(sorted_list), std::end(sorted_list), lower_letters);
}

bool looks_like_year(std::string_view digits) {
  return digits.size() == 4 && (digits.substr(0, 2) == "19" || digits.substr(0, 2) == "20");
}

std::size_t count_while(std::string_view text, std::size_t i, bool (*pred)(char)) {
  std::size_t j = i;
  while (j < text.size() && pred(text[j])) ++j;
  return j - i;
}

/// The end of an optional tail after the digits that end at byte i, or i when there is none.
/// Joined: 1-3 letters then at most 3 digits. After a dash: 1-6 letters/digits with a digit.
std::size_t tail_end(std::string_view text, std::size_t i) {
  std::size_t letters = count_while(text, i, is_ascii_letter);
  if (letters > 0) {
    std::size_t digits = count_while(text, i + letters, is_ascii_digit);
    std::size_t end = i + letters + digits;
    if (letters <= kMaxTailLetters && digits <= kMaxTailDigits && ends_word(text, end)) return end;
    return i;
  }
  std::size_t dash_length = 0;
  if (!is_dash(next_code_point(text, i, dash_length))) return i;
  std::size_t j = i + dash_length;
  std::size_t k = j;
  bool has_digit = false;
  while (k < text.size() && (is_ascii_letter(text[k]) || is_ascii_digit(text[k]))) {
    has_digit = has_digit || is_ascii_digit(text[k]);
    ++k;
  }
  if (k == j || k - j > kMaxDashTail || !has_digit || !ends_word(text, k)) return i;
  return k;
}

/// Tries to read a code whose letters start at byte i and end at byte letters_end.
std::optional<CodeMatch> code_at(std::string_view text, std::size_t i, std::size_t letters_end,
                                 CodeContext context) {
  std::string_view letters = text.substr(i, letters_end - i);
  std::string lower_letters = ascii_lower(letters);
  if (in_list(lower_letters, kNeverCodes)) return std::nullopt;

  std::size_t sep_length = 0;
  UChar32 sep = next_code_point(text, letters_end, sep_length);
  bool spaced = false;
  if (sep >= '0' && sep <= '9') {
    sep_length = 0;
  } else if (is_dash(sep)) {
    if (is_common_code_word(lower_letters)) return std::nullopt;
  } else if (is_space(sep)) {
    spaced = true;
  } else {
    return std::nullopt;
  }

  std::size_t digits_begin = letters_end + sep_length;
  std::size_t digit_count = count_while(text, digits_begin, is_ascii_digit);
  if (digit_count < kMinDigits || digit_count > kMaxDigits) return std::nullopt;
  std::size_t digits_end = digits_begin + digit_count;
  std::size_t end = tail_end(text, digits_end);
  if (end == digits_end && !ends_word(text, end)) return std::nullopt;

  if (spaced) {
    std::string_view digits = text.substr(digits_begin, digit_count);
    if (letters.size() < 2 || digit_count < kMinSpacedDigits || looks_like_year(digits) ||
        is_common_code_word(lower_letters))
      return std::nullopt;
    if (context == CodeContext::Record &&
        !std::all_of(letters.begin(), letters.end(), is_ascii_upper))
      return std::nullopt;
  }

  CodeMatch match;
  match.begin = i;
  match.end = end;
  match.spaced = spaced;
  match.canonical = std::move(lower_letters);
  match.canonical.append(text.substr(digits_begin, digit_count));
  for (std::size_t k = digits_end; k < end; ++k)
    if (is_ascii_letter(text[k]) || is_ascii_digit(text[k]))
      match.canonical.push_back(ascii_lower(text[k]));
  return match;
}

}  // namespace

bool is_common_code_word(std::string_view letters) {
  return in_list(ascii_lower(letters), kCommonWords);
}

std::vector<CodeMatch> find_codes(std::string_view text, CodeContext context) {
  std::vector<CodeMatch> found;
  std::size_t i = 0;
  while (i < text.size()) {
    if (!is_ascii_letter(text[i])) {
      ++i;
      continue;
    }
    std::size_t letters_end = i + count_while(text, i, is_ascii_letter);
    if (letters_end - i <= kMaxLetters && starts_word(text, i)) {
      if (auto match = code_at(text, i, letters_end, context)) {
        i = match->end;
        found.push_back(std::move(*match));
        continue;
      }
    }
    i = letters_end;
  }
  return found;
}

std::optional<std::string> canonical_code(std::string_view whole) {
  auto is_blank = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!whole.empty() && is_blank(whole.front())) whole.remove_prefix(1);
  while (!whole.empty() && is_blank(whole.back())) whole.remove_suffix(1);
  auto codes = find_codes(whole, CodeContext::Query);
  if (codes.size() != 1 || codes.front().begin != 0 || codes.front().end != whole.size())
    return std::nullopt;
  return std::move(codes.front().canonical);
}

}  // namespace trialsearch
