// Pass 1 of the page-text reader: the page cut into blocks at the section headings it
// recognises, with labelled single values ("Recruitment Status" / "RECRUITING", "Start date
// June 1, 2024") taken aside.
#include <array>
#include <cctype>
#include <optional>
#include <string>
#include <string_view>

#include "analyzers/strings.hpp"
#include "indexer/page_text.hpp"

namespace trialsearch::page_text {
namespace {

// The first line of a section on the labelled-fields site is a sentence describing the
// section ("Review the sponsor-provided synopsis..."): not trial content.
constexpr std::array<std::string_view, 17> kBoilerplateStarts{"review ",
                                                              "get a ",
                                                              "dive into ",
                                                              "see the ",
                                                              "explore ",
                                                              "understand ",
                                                              "learn about ",
                                                              "check the ",
                                                              "meet the ",
                                                              "identify the ",
                                                              "discover ",
                                                              "find local ",
                                                              "find ",
                                                              "access external ",
                                                              "reach out ",
                                                              "additional clinical trials",
                                                              "the study team has not published"};

Line make_line(std::string_view raw) {
  Line line;
  std::string text = unescape_markdown(trim(raw));
  std::string_view t = text;
  for (std::string_view bullet : {"\xE2\x80\xA2", "- ", "* ", "\xE2\x80\x93 ", "\xC2\xB7 "}) {
    if (t.starts_with(bullet)) {
      t.remove_prefix(bullet.size());
      line.bullet = true;
      break;
    }
  }
  line.text = std::string(trim(t));
  return line;
}

std::optional<Field> match_heading(std::string_view text) {
  if (text.size() > 60) return std::nullopt;
  std::string key = ascii_lower(collapse_whitespace(text));
  while (!key.empty() && (key.back() == ':' || key.back() == ' ')) key.pop_back();
  for (const auto& h : headings())
    if (key == h.text) return h.field;
  return std::nullopt;
}

// "About Renji Hospital": a short title-cased line naming an organisation.
bool is_about_heading(std::string_view text) {
  if (!text.starts_with(kAboutPrefix) || text.size() > 80) return false;
  std::string_view rest = trim(text.substr(kAboutPrefix.size()));
  if (rest.empty()) return false;
  std::size_t words = 0;
  bool word_start = true;
  for (char c : rest) {
    if (c == ' ') {
      word_start = true;
      continue;
    }
    if (word_start) {
      if (!std::isupper(static_cast<unsigned char>(c))) return false;
      ++words;
    }
    word_start = false;
  }
  return words <= 8 && std::string_view(".:!?,").find(rest.back()) == std::string_view::npos;
}

// "Label value" or "Label: value" on one line, believed only when the value has the label's
// shape (free-text labels only where running text cannot be: see takes_inline_labels).
std::optional<LabelledValue> match_inline_label(std::string_view text, Field block) {
  if (text.size() > kMaxValueLength + 40) return std::nullopt;
  const Heading* best = nullptr;
  for (const auto& h : headings()) {
    if (!is_label(h.field) || !starts_with_ignoring_case(text, h.text)) continue;
    if (text.size() == h.text.size()) continue;
    char next = text[h.text.size()];
    if (next != ' ' && next != ':') continue;
    if (!best || h.text.size() > best->text.size()) best = &h;
  }
  if (!best) return std::nullopt;
  Shape shape = shape_of(best->field);
  if (shape == Shape::Text && is_narrative(block)) return std::nullopt;
  std::string_view value = trim(without_separator(text.substr(best->text.size())));
  if (!fits(shape, value)) return std::nullopt;
  return LabelledValue{best->field, std::string(value)};
}

}  // namespace

Page split_page(std::string_view content) {
  Page page;
  page.blocks.emplace_back();
  // A label seen on its own line, waiting for its value on the next one. (A flag and a plain
  // value rather than std::optional: GCC 12 -O3 warns falsely about the optional's payload.)
  bool label_pending = false;
  Field pending_label = Field::Ignored;
  while (!content.empty()) {
    auto nl = content.find('\n');
    std::string_view raw = content.substr(0, nl);
    content = nl == std::string_view::npos ? std::string_view{} : content.substr(nl + 1);
    Line line = make_line(raw);
    if (line.text.empty()) continue;
    Block& current = page.blocks.back();

    if (auto field = match_heading(line.text)) {
      label_pending = false;
      if (is_label(*field)) {
        label_pending = true;
        pending_label = *field;
      } else {
        page.blocks.push_back(Block{*field, line.text, {}});
      }
      continue;
    }
    if (label_pending) {
      Field f = pending_label;
      label_pending = false;
      if (line.text.size() <= kMaxValueLength) {
        if (fits(shape_of(f), line.text)) page.values.push_back({f, line.text});
        continue;  // the label's value, even when unreadable ("Not reported")
      }
    }
    if (is_about_heading(line.text)) {
      page.blocks.push_back(Block{Field::About, line.text, {}});
      continue;
    }
    if (takes_inline_labels(current.kind)) {
      if (auto labelled = match_inline_label(line.text, current.kind)) {
        page.values.push_back(std::move(*labelled));
        // Bare lines after a run of labels are facts (contacts, phones), not the section's.
        if (current.kind != Field::Facts && current.kind != Field::EligibilityFacts &&
            current.kind != Field::Ignored)
          page.blocks.push_back(Block{Field::Facts, {}, {}});
        continue;
      }
    }
    current.lines.push_back(std::move(line));
  }
  // Drop the describing sentence that opens each section on the labelled-fields site.
  for (auto& block : page.blocks) {
    if (block.kind == Field::Preamble || block.lines.empty()) continue;
    std::string first = ascii_lower(block.lines.front().text);
    for (auto start : kBoilerplateStarts) {
      if (first.starts_with(start) && first.back() == '.') {
        block.lines.erase(block.lines.begin());
        break;
      }
    }
  }
  return page;
}

}  // namespace trialsearch::page_text
