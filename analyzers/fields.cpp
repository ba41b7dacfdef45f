#include "analyzers/fields.hpp"

#include <cctype>
#include <stdexcept>
#include <string>

#include "analyzers/text_fold.hpp"

namespace trialsearch {

const FieldSpec& field(std::string_view name) {
  for (const auto& f : kFields)
    if (f.name == name) return f;
  throw std::logic_error("no such field in the schema: " + std::string(name));
}

std::optional<FieldSpec> field_by_query_name(std::string_view name) {
  for (const auto& f : kFields) {
    std::string_view names = f.query_names;
    while (!names.empty()) {
      auto sp = names.find(' ');
      if (names.substr(0, sp) == name) return f;
      if (sp == std::string_view::npos) break;
      names.remove_prefix(sp + 1);
    }
  }
  return std::nullopt;
}

std::string make_term(std::string_view prefix, std::string_view value) {
  std::string term(prefix);
  if (!prefix.empty() && !value.empty() && std::isupper(static_cast<unsigned char>(value.front())))
    term += ':';
  term += value;
  if (term.size() > kMaxTermBytes) {
    std::size_t cut = kMaxTermBytes;
    // back to the first byte of a character (UTF-8 continuation bytes are 10xxxxxx)
    while (cut > 0 && (static_cast<unsigned char>(term[cut]) & 0xC0) == 0x80) --cut;
    term.resize(cut);
  }
  return term;
}

bool fits_spelling_word(std::string_view word) { return word.size() <= kMaxSpellingWordBytes; }

bool fits_synonym_key(std::string_view key) { return key.size() <= kMaxSynonymKeyBytes; }

std::string filter_value(std::string_view text) {
  std::string folded = fold(text);
  std::string out;
  bool sep = false;
  for (char c : folded) {
    auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || u >= 0x80) {
      if (sep && !out.empty()) out += '_';
      sep = false;
      out += c;
    } else {
      sep = true;
    }
  }
  return out;
}

}  // namespace trialsearch
