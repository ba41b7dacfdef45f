#include "analyzers/fields.hpp"

#include <cctype>
#include <stdexcept>
#include <string>

#include <fmt/format.h>

#include "analyzers/text_fold.hpp"

namespace trialsearch {

const FacetSpec* find_facet(std::string_view name) {
  for (const auto& f : kFacets)
    if (f.name == name) return &f;
  return nullptr;
}

std::string facet_names(std::string_view separator) {
  std::string out;
  for (const auto& f : kFacets)
    out += (out.empty() ? "" : std::string(separator)) + std::string(f.name);
  return out;
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

bool is_query_field_name(std::string_view name) {
  if (field_by_query_name(name)) return true;
  for (const auto& r : kRanges)
    if (r.name == name) return true;
  return false;
}

std::string query_field_names() {
  std::string out;
  for (const auto& f : kFields) out += (out.empty() ? "" : " ") + std::string(f.query_names);
  for (const auto& r : kRanges) out += " " + std::string(r.name);
  return out;
}

std::string query_fields_help() {
  auto names_of = [](std::string_view names) {
    std::string out;
    while (!names.empty()) {
      auto sp = names.find(' ');
      out += std::string(names.substr(0, sp)) + ": ";
      if (sp == std::string_view::npos) break;
      names.remove_prefix(sp + 1);
    }
    return out;
  };
  std::string text = "Fields (field:word, field:\"a phrase\", field:(a OR b)):\n";
  for (const auto& f : kFields)
    if (f.kind != FieldKind::Filter)
      text += fmt::format("  {:<28}{}\n", names_of(f.query_names), f.help);
  text += "Filters (field:value, exact values; a value the registry does not have is refused):\n";
  for (const auto& f : kFields)
    if (f.kind == FieldKind::Filter)
      text += fmt::format("  {:<28}{}\n", names_of(f.query_names), f.help);
  text += "Ranges (field:A..B, field:A.., field:..B; dates YYYY, YYYY-MM or YYYY-MM-DD):\n";
  for (const auto& r : kRanges)
    text += fmt::format(
        "  {:<28}{}\n",
        std::string(r.name) + (r.kind == RangeKind::Date ? ":2023..2025" : ":100..500"), r.help);
  return text;
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

std::string sort_key(std::string_view value, std::string_view nct_id) {
  constexpr std::size_t kWidth = 9;  // sortable_serialise()'s longest output
  std::string key(value.substr(0, kWidth));
  key.resize(kWidth, '\0');  // it drops trailing zero bytes: padding keeps the order
  for (char c : nct_id) key += static_cast<char>(~static_cast<unsigned char>(c));
  return key;
}

}  // namespace trialsearch
