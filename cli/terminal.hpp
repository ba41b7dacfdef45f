/// @brief Terminal output helpers: colour only on a TTY without NO_COLOR, and record text made safe
/// to print.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace trialsearch::cli {

/// True when stdout is a terminal, NO_COLOR is unset (or empty) and TERM is not "dumb".
bool use_color();

/// The width output is wrapped to: the terminal's columns when stdout is a terminal, else
/// kPipedWidth (a file or a pipe gets the same lines on every machine).
std::size_t output_width();
inline constexpr std::size_t kPipedWidth = 100;

/// Text wrapped at spaces to `width` display columns (UTF-8 characters; ANSI colour sequences
/// take none), every line after the first indented by `indent` spaces; the first line is
/// assumed to start at column `indent` too. A word longer than a line is left whole.
std::string wrap(std::string_view text, std::size_t width, std::size_t indent);

/// Record text with its line breaks kept, each line wrapped to `width` and indented by
/// `indent`; a bulleted line ("* ", "- ", "1. ") continues under its text. Control characters
/// other than line breaks become spaces; runs of blank lines become one.
std::string wrap_paragraphs(std::string_view text, std::size_t width, std::size_t indent);

/// ANSI colour wrapper; returns the text unchanged when `on` is false.
std::string paint(std::string_view text, std::string_view ansi_code, bool on);

/// The colour of an overall status (green recruiting, yellow not yet, red stopped...).
std::string_view status_color(std::string_view status);

/// The title a list shows for a trial: its brief title, else its official title, else
/// "(no title)" (some saved pages have none); made safe.
std::string shown_title(std::string_view brief_title, std::string_view official_title);

/// A CSV field, quoted when needed.
std::string csv_field(std::string_view text);

}  // namespace trialsearch::cli
