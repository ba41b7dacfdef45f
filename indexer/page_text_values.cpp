// The page-text reader's value shapes: how a label's value, or an unlabelled line, must look
// to be believed (status words, PHASEn, dates, "NNN participants", "16 Years").
#include <cctype>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzers/strings.hpp"
#include "indexer/normalize.hpp"
#include "indexer/page_text.hpp"

namespace trialsearch::page_text {

std::optional<std::string_view> after_label(std::string_view line, std::string_view label) {
  if (!starts_with_ignoring_case(line, label)) return std::nullopt;
  return line.substr(label.size());
}

std::string_view without_separator(std::string_view rest) {
  while (!rest.empty() && (rest.front() == ':' || rest.front() == ' ')) rest.remove_prefix(1);
  return rest;
}

bool is_alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

// Where `needle` occurs in `haystack` as whole words, case-insensitively (both lower case).
bool has_phrase(std::string_view haystack, std::string_view needle) {
  if (needle.empty()) return false;
  for (std::size_t pos = haystack.find(needle); pos != std::string_view::npos;
       pos = haystack.find(needle, pos + 1)) {
    bool left = pos == 0 || !is_alnum(haystack[pos - 1]);
    std::size_t end = pos + needle.size();
    bool right = end == haystack.size() || !is_alnum(haystack[end]);
    if (left && right) return true;
  }
  return false;
}

// Every NCT id in a text, upper case, in order.
std::vector<std::string> find_nct_ids(std::string_view text) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i + 11 <= text.size(); ++i) {
    if (!is_nct_id(text.substr(i, 11))) continue;
    if ((i > 0 && is_alnum(text[i - 1])) || (i + 11 < text.size() && is_alnum(text[i + 11])))
      continue;
    std::string id(text.substr(i, 11));
    for (char& c : id) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    out.push_back(std::move(id));
    i += 10;
  }
  return out;
}

void add_unique(std::vector<std::string>& list, std::string value) {
  if (value.empty()) return;
  for (const auto& v : list)
    if (equal_ignoring_case(v, value)) return;
  list.push_back(std::move(value));
}

// Saved pages keep Markdown escapes ("\- item", "\> 3 times"): drop the backslash.
std::string unescape_markdown(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size() && std::ispunct(static_cast<unsigned char>(s[i + 1])))
      continue;
    out += s[i];
  }
  return out;
}

std::optional<long> parse_count(std::string_view s) {
  s = trim(s);
  long n = 0;
  std::size_t digits = 0, i = 0;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c >= '0' && c <= '9') {
      if (++digits > 9) return std::nullopt;
      n = n * 10 + (c - '0');
    } else if (c != ',' || digits == 0) {
      break;
    }
  }
  if (digits == 0) return std::nullopt;
  std::string rest = ascii_lower(trim(s.substr(i)));
  if (rest.empty() || rest == "participants" || rest == "patients" || rest == "subjects" ||
      rest == "participants (estimated)" || rest == "participants (actual)" ||
      rest == "(estimated)" || rest == "(actual)")
    return n;
  return std::nullopt;
}

std::string status_of(std::string_view s) {
  if (s.size() > 60) return {};
  std::string st = normalize_status(s);
  return contains(kOverallStatuses, st) ? st : std::string{};
}

std::string study_type_of(std::string_view s) {
  if (s.size() > 60) return {};
  std::string t = normalize_enum(s);
  for (auto type : kStudyTypes)
    if (t.starts_with(type)) return std::string(type);
  return {};
}

// Strict: the whole value is a phase ("PHASE1/PHASE2", "Phase 4", "N/A").
std::vector<std::string> phases_of(std::string_view s) {
  s = trim(s);
  if (s.size() > 40) return {};
  if (!starts_with_ignoring_case(s, "phase") && !starts_with_ignoring_case(s, "early phase") &&
      !equal_ignoring_case(s, "N/A") && !equal_ignoring_case(s, "NA") &&
      !equal_ignoring_case(s, "not applicable"))
    return {};
  return normalize_phases(s);
}

bool is_age(std::string_view s) {
  s = trim(s);
  if (s.size() > 30 || s.empty() || !std::isdigit(static_cast<unsigned char>(s.front())))
    return false;
  std::string l = ascii_lower(s);
  for (std::string_view unit : {"year", "month", "week", "day", "hour"})
    if (l.find(unit) != std::string::npos) return parse_age(s).days.has_value();
  return false;
}

std::string sex_of(std::string_view s) {
  if (s.size() > 20) return {};
  std::string sex = normalize_sex(s);
  return sex == "ALL" || sex == "FEMALE" || sex == "MALE" ? sex : std::string{};
}

std::optional<bool> yes_no_of(std::string_view s) {
  s = trim(s);
  if (equal_ignoring_case(s, "yes") || equal_ignoring_case(s, "accepts healthy volunteers"))
    return true;
  if (equal_ignoring_case(s, "no")) return false;
  return std::nullopt;
}

bool fits(Shape shape, std::string_view v) {
  if (v.empty() || v.size() > kMaxValueLength) return false;
  switch (shape) {
    case Shape::Text:
      return true;
    case Shape::NctId:
      return is_nct_id(trim(v));
    case Shape::Status:
      return !status_of(v).empty();
    case Shape::Phase:
      return !normalize_phases(v).empty();
    case Shape::StudyType:
      return !study_type_of(v).empty();
    case Shape::Count:
      return parse_count(v).has_value();
    case Shape::Date:
      return !normalize_date(v).empty();
    case Shape::Age:
      return is_age(v) || equal_ignoring_case(trim(v), "N/A");
    case Shape::Sex:
      return !sex_of(v).empty();
    case Shape::YesNo:
      return yes_no_of(v).has_value();
  }
  return false;
}

}  // namespace trialsearch::page_text
