/// @brief Byte-level string helpers every layer shares; ASCII only (Unicode folding is
/// analyzers/text_fold).
#pragma once

#include <string>
#include <string_view>

namespace trialsearch {

/// 'A'..'Z' -> 'a'..'z'; every other byte (UTF-8 included) unchanged.
char ascii_lower(char c);

/// The text with ASCII letters lower-cased; every other byte unchanged.
std::string ascii_lower(std::string_view text);

/// True when `text` begins with `prefix`, ASCII case ignored.
bool starts_with_ignoring_case(std::string_view text, std::string_view prefix);

/// True when `a` and `b` are equal, ASCII case ignored.
bool equal_ignoring_case(std::string_view a, std::string_view b);

/// Trims ASCII white space (space, \t, \n, \v, \f, \r) at both ends.
std::string_view trim(std::string_view text);

/// Record text on one line: trims, and turns every run of white space (line breaks and tabs
/// included) into one space. "  a \n\t b " -> "a b".
std::string collapse_whitespace(std::string_view text);

/// Drops the spaces (' ' only) that follow another space or begin the text; a single trailing
/// space and every other white space byte stay. " a  b " -> "a b ".
std::string squeeze_spaces(std::string_view text);

/// Record text safe to display: control characters (0x00-0x1f, 0x7f: terminal escapes, line
/// breaks) become spaces, one for one; every other byte unchanged.
std::string printable(std::string_view text);

/// True for a non-empty run of ASCII digits only ("12", not "1.5", "", "12a").
bool all_digits(std::string_view text);

}  // namespace trialsearch
