// The shared string helpers: a table per helper, the two white-space behaviours side by side.
#include <catch2/catch.hpp>

#include <string>
#include <string_view>

#include "analyzers/strings.hpp"

using namespace trialsearch;

TEST_CASE("ascii_lower changes ASCII letters only", "[base][strings]") {
  CHECK(ascii_lower("CC-97540 Phase") == "cc-97540 phase");
  CHECK(ascii_lower("ÄÉ Ü") == "ÄÉ Ü");  // UTF-8 bytes unchanged
  CHECK(ascii_lower('Z') == 'z');
  CHECK(ascii_lower('@') == '@');
  CHECK(ascii_lower('[') == '[');
}

TEST_CASE("case-insensitive comparison", "[base][strings]") {
  CHECK(starts_with_ignoring_case("Phase 2", "phase"));
  CHECK(starts_with_ignoring_case("phase", "PHASE"));
  CHECK_FALSE(starts_with_ignoring_case("Pha", "phase"));
  CHECK_FALSE(starts_with_ignoring_case("Phrase", "phase"));
  CHECK(equal_ignoring_case("N/A", "n/a"));
  CHECK_FALSE(equal_ignoring_case("NA", "N/A"));
  CHECK_FALSE(equal_ignoring_case("n/a ", "N/A"));
}

TEST_CASE("trim removes ASCII white space at both ends", "[base][strings]") {
  CHECK(trim("  \t a b \r\n\v\f") == "a b");
  CHECK(trim("") == "");
  CHECK(trim(" \n ") == "");
  CHECK(trim("x") == "x");
}

TEST_CASE("collapse_whitespace and squeeze_spaces do different things", "[base][strings]") {
  struct Row {
    std::string_view input, collapsed, squeezed;
  };
  const Row rows[] = {
      {"  a \n\t b ", "a b", "a \n\t b "},
      {"a  b", "a b", "a b"},
      {" a  b ", "a b", "a b "},
      {"a\nb", "a b", "a\nb"},
      {"", "", ""},
      {"   ", "", ""},
  };
  for (const auto& r : rows) {
    INFO(r.input);
    CHECK(collapse_whitespace(r.input) == r.collapsed);
    CHECK(squeeze_spaces(r.input) == r.squeezed);
  }
}

TEST_CASE("printable turns control characters into spaces one for one", "[base][strings]") {
  CHECK(printable("a\x1b[31mred\x07") == "a [31mred ");
  CHECK(printable("line\nbreak\ttab\x7f") == "line break tab ");
  CHECK(printable("Ünïcode ok") == "Ünïcode ok");
  CHECK(printable(std::string_view("a\0b", 3)) == "a b");
}
