#include "cli/terminal.hpp"

#include <unistd.h>

#include <cstdlib>

#include <fmt/format.h>

namespace trialsearch::cli {

bool use_color() {
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color && *no_color) return false;
  return isatty(STDOUT_FILENO);
}

std::string paint(std::string_view text, std::string_view code, bool on) {
  if (!on || code.empty()) return std::string(text);
  return fmt::format("\033[{}m{}\033[0m", code, text);
}

std::string_view status_color(std::string_view s) {
  if (s == "RECRUITING" || s == "ENROLLING_BY_INVITATION" || s == "AVAILABLE") return "32";
  if (s == "NOT_YET_RECRUITING") return "33";
  if (s == "ACTIVE_NOT_RECRUITING" || s == "COMPLETED") return "36";
  if (s == "TERMINATED" || s == "WITHDRAWN" || s == "SUSPENDED") return "31";
  return "";
}

std::string safe(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) c = ' ';
  }
  return out;
}

std::string shown_title(std::string_view brief_title, std::string_view official_title) {
  for (auto title : {brief_title, official_title}) {
    std::string s = safe(title);
    if (s.find_first_not_of(' ') != std::string::npos) return s;
  }
  return "(no title)";
}

std::string csv_field(std::string_view text) {
  std::string s = safe(text);
  if (s.find_first_of(",\"") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace trialsearch::cli
