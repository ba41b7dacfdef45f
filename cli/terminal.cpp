#include "cli/terminal.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include <fmt/format.h>

#include "analyzers/strings.hpp"

namespace trialsearch::cli {

bool use_color() {
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color && *no_color) return false;
  const char* term = std::getenv("TERM");
  if (term && std::string_view(term) == "dumb") return false;
  return isatty(STDOUT_FILENO);
}

std::size_t output_width() {
  winsize size{};
  if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col >= 20)
    return size.ws_col;
  return kPipedWidth;
}

namespace {

// Display columns of `text`: one per UTF-8 character, none for ANSI colour sequences.
std::size_t columns(std::string_view text) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\033') {
      while (i < text.size() && text[i] != 'm') ++i;
      continue;
    }
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++n;
  }
  return n;
}

}  // namespace

std::string wrap(std::string_view text, std::size_t width, std::size_t indent) {
  const std::size_t room = width > indent + 20 ? width - indent : 20;
  std::string out;
  std::size_t used = 0;  // columns on the current line, the first line's indent not counted
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t word_start = text.find_first_not_of(' ', i);
    if (word_start == std::string_view::npos) break;
    std::string_view gap = text.substr(i, word_start - i);
    std::size_t end = std::min(text.find(' ', word_start), text.size());
    std::string_view word = text.substr(word_start, end - word_start);
    std::size_t w = columns(word);
    if (used > 0 && used + gap.size() + w > room) {
      out += '\n';
      out.append(indent, ' ');
      used = 0;
    } else {
      out += gap;  // spaces inside a line are kept (columns of a list line)
      used += gap.size();
    }
    out += word;
    used += w;
    i = end;
  }
  return out;
}

std::string wrap_paragraphs(std::string_view text, std::size_t width, std::size_t indent) {
  std::string out;
  bool blank = true;  // no blank line first, and none twice
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t stop = std::min(text.find('\n', start), text.size());
    std::string line = printable(text.substr(start, stop - start));
    start = stop + 1;
    std::size_t lead = line.find_first_not_of(' ');
    if (lead == std::string::npos) {
      if (!blank) out += '\n';
      blank = true;
      if (stop == text.size()) break;
      continue;
    }
    blank = false;
    std::string_view body = std::string_view(line).substr(lead);
    // a bullet's text continues under its first word
    std::size_t hang = 0;
    if (body.size() > 2 && (body[0] == '*' || body[0] == '-' || body[0] == '\xE2')) {
      std::size_t sp = body.find(' ');
      if (sp <= 3) hang = columns(body.substr(0, sp + 1));  // npos is never <= 3
    } else {
      std::size_t d = 0;
      while (d < body.size() && std::isdigit(static_cast<unsigned char>(body[d]))) ++d;
      if (d > 0 && d + 1 < body.size() && (body[d] == '.' || body[d] == ')') && body[d + 1] == ' ')
        hang = d + 2;
    }
    std::size_t nest = std::min<std::size_t>(lead, 8);
    out.append(indent + nest, ' ');
    out += wrap(body, width, indent + nest + hang);
    out += '\n';
    if (stop == text.size()) break;
  }
  while (!out.empty() && out.back() == '\n' && out.size() > 1 && out[out.size() - 2] == '\n')
    out.pop_back();
  return out;
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

std::string shown_title(std::string_view brief_title, std::string_view official_title) {
  for (auto title : {brief_title, official_title}) {
    std::string s = printable(title);
    if (s.find_first_not_of(' ') != std::string::npos) return s;
  }
  return "(no title)";
}

std::string csv_field(std::string_view text) {
  std::string s = printable(text);
  if (s.find_first_of(",\"") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace trialsearch::cli
