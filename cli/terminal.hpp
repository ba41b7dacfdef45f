/// @brief Terminal output helpers: colour only on a TTY without NO_COLOR, and record text made safe
/// to print.
#pragma once

#include <string>
#include <string_view>

namespace trialsearch::cli {

/// True when stdout is a terminal and NO_COLOR is unset (or empty).
bool use_color();

/// ANSI colour wrapper; returns the text unchanged when `on` is false.
std::string paint(std::string_view text, std::string_view ansi_code, bool on);

/// The colour of an overall status (green recruiting, yellow not yet, red stopped...).
std::string_view status_color(std::string_view status);

/// Record text safe for a terminal: control characters (escape sequences) become spaces.
std::string safe(std::string_view text);

/// The title a list shows for a trial: its brief title, else its official title, else
/// "(no title)" (some saved pages have none); made safe.
std::string shown_title(std::string_view brief_title, std::string_view official_title);

/// A CSV field, quoted when needed.
std::string csv_field(std::string_view text);

}  // namespace trialsearch::cli
