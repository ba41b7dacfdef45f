#include "analyzers/text_fold.hpp"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <cctype>
#include <stdexcept>

namespace trialsearch {
namespace {

const icu::Normalizer2& normalizer(bool casefold) {
  static const icu::Normalizer2* nfkc_cf = [] {
    UErrorCode status = U_ZERO_ERROR;
    auto* n = icu::Normalizer2::getNFKCCasefoldInstance(status);
    if (U_FAILURE(status)) throw std::runtime_error("ICU NFKC_Casefold normaliser unavailable");
    return n;
  }();
  static const icu::Normalizer2* nfkc = [] {
    UErrorCode status = U_ZERO_ERROR;
    auto* n = icu::Normalizer2::getNFKCInstance(status);
    if (U_FAILURE(status)) throw std::runtime_error("ICU NFKC normaliser unavailable");
    return n;
  }();
  return casefold ? *nfkc_cf : *nfkc;
}

const icu::Normalizer2& nfd() {
  static const icu::Normalizer2* n = [] {
    UErrorCode status = U_ZERO_ERROR;
    auto* p = icu::Normalizer2::getNFDInstance(status);
    if (U_FAILURE(status)) throw std::runtime_error("ICU NFD normaliser unavailable");
    return p;
  }();
  return *n;
}

bool is_ascii(std::string_view s) {
  for (unsigned char c : s)
    if (c >= 0x80) return false;
  return true;
}

std::string fold_ascii(std::string_view s, bool lower) {
  std::string out(s);
  for (char& c : out) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f)
      c = ' ';
    else if (lower && u >= 'A' && u <= 'Z')
      c = static_cast<char>(u - 'A' + 'a');
  }
  return out;
}

std::string fold_impl(std::string_view utf8, bool lower) {
  if (is_ascii(utf8)) return fold_ascii(utf8, lower);
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString text = icu::UnicodeString::fromUTF8(
      icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
  icu::UnicodeString normal = normalizer(lower).normalize(text, status);
  if (U_FAILURE(status)) return fold_ascii(utf8, lower);
  icu::UnicodeString decomposed = nfd().normalize(normal, status);
  if (U_FAILURE(status)) return fold_ascii(utf8, lower);
  icu::UnicodeString out;
  for (int32_t i = 0; i < decomposed.length();) {
    UChar32 c = decomposed.char32At(i);
    i += U16_LENGTH(c);
    switch (u_charType(c)) {
      case U_NON_SPACING_MARK:
      case U_ENCLOSING_MARK:
        continue;
      case U_DASH_PUNCTUATION:
        out.append(static_cast<UChar>('-'));
        continue;
      case U_SPACE_SEPARATOR:
      case U_LINE_SEPARATOR:
      case U_PARAGRAPH_SEPARATOR:
      case U_CONTROL_CHAR:
        out.append(static_cast<UChar>(' '));
        continue;
      default:
        break;
    }
    if (c == 0x2212) {  // minus sign
      out.append(static_cast<UChar>('-'));
      continue;
    }
    // Letters with no decomposition but an obvious base (ø, đ, ł) stay as they are: folding
    // them would need a transliterator, which costs more than it brings here.
    out.append(c);
  }
  std::string result;
  out.toUTF8String(result);
  return result;
}

}  // namespace

std::string fold(std::string_view utf8) { return fold_impl(utf8, true); }

std::string fold_keep_case(std::string_view utf8) { return fold_impl(utf8, false); }

std::vector<std::string> split_words(std::string_view folded) {
  std::vector<std::string> words;
  std::string w;
  for (char c : folded) {
    if (std::isalnum(static_cast<unsigned char>(c)) || static_cast<unsigned char>(c) >= 0x80) {
      w += c;
    } else {
      if (!w.empty()) words.push_back(std::move(w));
      w.clear();
    }
  }
  if (!w.empty()) words.push_back(std::move(w));
  return words;
}

std::vector<std::string_view> split_fields(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  std::size_t from = 0;
  for (std::size_t at = text.find(separator); at != std::string_view::npos;
       at = text.find(separator, from)) {
    parts.push_back(text.substr(from, at - from));
    from = at + 1;
  }
  parts.push_back(text.substr(from));
  return parts;
}

}  // namespace trialsearch
