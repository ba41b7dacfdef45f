#include "indexer/normalize.hpp"

#include <array>
#include <cctype>
#include <charconv>

#include <fmt/format.h>

#include "analyzers/strings.hpp"

namespace trialsearch {

std::string describe(const Origin& origin) {
  std::string out = origin.file;
  if (!origin.entry.empty()) out += ":" + origin.entry;
  if (origin.line != 0) out += fmt::format(":line {}", origin.line);
  return out;
}

bool is_nct_id(std::string_view text) {
  if (text.size() != 11) return false;
  if (std::toupper(static_cast<unsigned char>(text[0])) != 'N' ||
      std::toupper(static_cast<unsigned char>(text[1])) != 'C' ||
      std::toupper(static_cast<unsigned char>(text[2])) != 'T')
    return false;
  for (std::size_t i = 3; i < 11; ++i)
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return false;
  return true;
}

std::string normalize_enum(std::string_view text) {
  std::string out;
  bool sep = false;
  for (char c : trim(text)) {
    auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u)) {
      if (sep && !out.empty()) out += '_';
      sep = false;
      out += static_cast<char>(std::toupper(u));
    } else {
      sep = true;
    }
  }
  return out;
}

std::string normalize_status(std::string_view text) {
  std::string s = normalize_enum(text);
  if (s == "UNKNOWN_STATUS") return "UNKNOWN";
  return s;
}

namespace {

// Reads a phase number written as 0-4 or roman I-IV (with an optional a/b suffix) at `pos`.
std::optional<int> phase_number(std::string_view s, std::size_t& pos) {
  while (pos < s.size() && (s[pos] == ' ' || s[pos] == '_')) ++pos;
  if (pos >= s.size()) return std::nullopt;
  char c = s[pos];
  if (c >= '0' && c <= '4') {
    ++pos;
    return c - '0';
  }
  static constexpr std::array<std::pair<std::string_view, int>, 4> romans{
      {{"IV", 4}, {"III", 3}, {"II", 2}, {"I", 1}}};
  for (auto [r, n] : romans) {
    if (s.substr(pos, r.size()) == r) {
      std::size_t end = pos + r.size();
      // a roman numeral must not run into another letter, except an a/b sub-phase
      if (end < s.size() && std::isalpha(static_cast<unsigned char>(s[end])) && s[end] != 'A' &&
          s[end] != 'B')
        continue;
      pos = end;
      return n;
    }
  }
  return std::nullopt;
}

}  // namespace

std::vector<std::string> normalize_phases(std::string_view text) {
  std::string s;
  for (char c : trim(text)) s += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  std::vector<std::string> out;
  auto add = [&](std::string p) {
    for (auto& e : out)
      if (e == p) return;
    out.push_back(std::move(p));
  };
  if (s.empty()) return out;
  if (s == "N/A" || s == "NA" || s == "NOT APPLICABLE") {
    add("NA");
    return out;
  }
  bool early = s.find("EARLY") != std::string::npos;
  std::size_t pos = 0;
  while ((pos = s.find("PHASE", pos)) != std::string::npos) {
    pos += 5;
    auto n = phase_number(s, pos);
    if (!n) continue;
    if (early && *n == 1) {
      add("EARLY_PHASE1");
      early = false;
    } else {
      add(fmt::format("PHASE{}", *n));
    }
    // "Phase 1/2", "Phase Ib/II", "Phase 2-3": a second number after a slash or dash
    while (pos < s.size() && (s[pos] == 'A' || s[pos] == 'B')) ++pos;
    while (pos < s.size() && (s[pos] == '/' || s[pos] == '-' || s[pos] == ' ')) {
      ++pos;
      if (s.compare(pos, 5, "PHASE") == 0) break;
      auto m = phase_number(s, pos);
      if (!m) break;
      add(fmt::format("PHASE{}", *m));
      while (pos < s.size() && (s[pos] == 'A' || s[pos] == 'B')) ++pos;
    }
  }
  if (out.empty() && s.size() <= 3) {
    std::size_t p = 0;
    if (auto n = phase_number(s, p); n && p == s.size()) add(fmt::format("PHASE{}", *n));
  }
  return out;
}

namespace {

std::optional<int> month_from_name(std::string_view word) {
  static constexpr std::array<std::string_view, 12> names{"jan", "feb", "mar", "apr", "may", "jun",
                                                          "jul", "aug", "sep", "oct", "nov", "dec"};
  if (word.size() < 3) return std::nullopt;
  std::string w;
  for (char c : word.substr(0, 3))
    w += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == w) return static_cast<int>(i) + 1;
  return std::nullopt;
}

std::optional<int> to_int(std::string_view s) {
  int v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace

std::string normalize_date(std::string_view text) {
  text = trim(text);
  if (text.empty()) return {};
  // ISO forms: YYYY, YYYY-MM, YYYY-MM-DD
  if (text.size() >= 4 && std::isdigit(static_cast<unsigned char>(text[0]))) {
    auto y = to_int(text.substr(0, 4));
    if (!y) return {};
    if (text.size() == 4) return fmt::format("{:04d}", *y);
    if (text.size() >= 7 && text[4] == '-') {
      auto m = to_int(text.substr(5, 2));
      if (!m || *m < 1 || *m > 12) return {};
      if (text.size() >= 10 && text[7] == '-') {
        auto d = to_int(text.substr(8, 2));
        if (!d || *d < 1 || *d > 31) return {};
        return fmt::format("{:04d}-{:02d}-{:02d}", *y, *m, *d);
      }
      return fmt::format("{:04d}-{:02d}", *y, *m);
    }
    return {};
  }
  // "June 1, 2024", "June 2024", "Oct 14, 2022"
  std::vector<std::string_view> words;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ' ' || text[i] == ',' || text[i] == '.')) ++i;
    std::size_t start = i;
    while (i < text.size() && text[i] != ' ' && text[i] != ',' && text[i] != '.') ++i;
    if (i > start) words.push_back(text.substr(start, i - start));
  }
  if (words.size() < 2) return {};
  auto m = month_from_name(words[0]);
  if (!m) return {};
  if (words.size() == 2) {
    auto y = to_int(words[1]);
    if (!y || *y < 1000) return {};
    return fmt::format("{:04d}-{:02d}", *y, *m);
  }
  auto d = to_int(words[1]);
  auto y = to_int(words[2]);
  if (!d || !y || *d < 1 || *d > 31 || *y < 1000) return {};
  return fmt::format("{:04d}-{:02d}-{:02d}", *y, *m, *d);
}

std::optional<int> date_number(std::string_view iso) {
  if (iso.size() < 4) return std::nullopt;
  auto y = to_int(iso.substr(0, 4));
  if (!y) return std::nullopt;
  int m = 1, d = 1;
  if (iso.size() >= 7) {
    auto mm = to_int(iso.substr(5, 2));
    if (!mm) return std::nullopt;
    m = *mm;
  }
  if (iso.size() >= 10) {
    auto dd = to_int(iso.substr(8, 2));
    if (!dd) return std::nullopt;
    d = *dd;
  }
  return *y * 10000 + m * 100 + d;
}

AgeLimit parse_age(std::string_view text) {
  AgeLimit age;
  age.text = std::string(trim(text));
  std::string_view s = age.text;
  std::size_t i = 0;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
  if (i == 0) return age;
  auto n = to_int(s.substr(0, i));
  if (!n) return age;
  while (i < s.size() && s[i] == ' ') ++i;
  std::string unit;
  while (i < s.size() && std::isalpha(static_cast<unsigned char>(s[i])))
    unit += static_cast<char>(std::tolower(static_cast<unsigned char>(s[i++])));
  if (unit.starts_with("year") || unit == "y" || unit == "yrs" || unit == "yr" || unit.empty())
    age.days = *n * 365;
  else if (unit.starts_with("month"))
    age.days = *n * 30;
  else if (unit.starts_with("week"))
    age.days = *n * 7;
  else if (unit.starts_with("day"))
    age.days = *n;
  else if (unit.starts_with("hour"))
    age.days = *n / 24;
  else if (unit.starts_with("minute"))
    age.days = 0;
  return age;
}

std::vector<std::string> derive_std_ages(const AgeLimit& minimum, const AgeLimit& maximum) {
  int lo = minimum.days.value_or(0);
  int hi = maximum.days.value_or(1'000'000);
  std::vector<std::string> out;
  if (lo < 18 * 365) out.emplace_back("CHILD");
  if (lo < 65 * 365 && hi >= 18 * 365) out.emplace_back("ADULT");
  if (hi >= 65 * 365) out.emplace_back("OLDER_ADULT");
  return out;
}

std::string normalize_sex(std::string_view text) {
  std::string s = normalize_enum(text);
  if (s == "BOTH") return "ALL";
  return s;
}

}  // namespace trialsearch

namespace trialsearch {

std::string shown_input(std::string_view text, std::size_t max_bytes) {
  std::string out;
  std::size_t i = 0;
  while (i < text.size() && out.size() < max_bytes) {
    auto c = static_cast<unsigned char>(text[i]);
    // a whole UTF-8 sequence is kept; anything else that is not printable ASCII is replaced
    std::size_t len = c < 0x80           ? 1
                      : (c >> 5) == 0x6  ? 2
                      : (c >> 4) == 0xE  ? 3
                      : (c >> 3) == 0x1E ? 4
                                         : 0;
    bool ok = len > 0 && i + len <= text.size();
    for (std::size_t k = 1; ok && k < len; ++k)
      ok = (static_cast<unsigned char>(text[i + k]) & 0xC0) == 0x80;
    if (len == 1) ok = c >= 0x20 && c != 0x7F;
    if (ok) {
      out.append(text.substr(i, len));
      i += len;
    } else {
      out += '?';
      ++i;
    }
  }
  if (i < text.size()) out += fmt::format("... ({} bytes)", text.size());
  return out;
}

}  // namespace trialsearch
