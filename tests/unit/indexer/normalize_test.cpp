// indexer/normalize: the registry's spellings into one, a table per function.
#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <vector>

#include "indexer/normalize.hpp"

using namespace trialsearch;

TEST_CASE("normalize_enum and normalize_status: one spelling of a coded value", "[normalize]") {
  CHECK(normalize_enum("Active, not recruiting") == "ACTIVE_NOT_RECRUITING");
  CHECK(normalize_enum("active-not recruiting") == "ACTIVE_NOT_RECRUITING");
  CHECK(normalize_enum("  ACTIVE_NOT_RECRUITING ") == "ACTIVE_NOT_RECRUITING");
  CHECK(normalize_enum("").empty());
  CHECK(normalize_status("Unknown status") == "UNKNOWN");
  CHECK(normalize_status("Recruiting") == "RECRUITING");
  CHECK(normalize_enum("Unknown status") == "UNKNOWN_STATUS");  // only statuses map it
}

TEST_CASE("normalize_phases: every spelling of a phase", "[normalize]") {
  struct Row {
    std::string text;
    std::vector<std::string> phases;
  };
  const std::vector<Row> rows{
      {"Phase 1/Phase 2", {"PHASE1", "PHASE2"}},
      {"PHASE2", {"PHASE2"}},
      {"N/A", {"NA"}},
      {"Early Phase 1", {"EARLY_PHASE1"}},
      {"Phase Ib/II", {"PHASE1", "PHASE2"}},
      {"Phase 4", {"PHASE4"}},
      {"Phase III", {"PHASE3"}},
  };
  for (const auto& r : rows) {
    INFO(r.text);
    CHECK(normalize_phases(r.text) == r.phases);
  }
}

TEST_CASE("normalize_date and date_number", "[normalize]") {
  struct Row {
    std::string text, iso;
  };
  const std::vector<Row> rows{
      {"2023-09-13", "2023-09-13"},
      {"2023-09", "2023-09"},
      {"June 1, 2024", "2024-06-01"},
      {"June 2024", "2024-06"},
      {"Oct 14, 2022", "2022-10-14"},
      {"not a date", ""},
      {"", ""},
  };
  for (const auto& r : rows) {
    INFO(r.text);
    CHECK(normalize_date(r.text) == r.iso);
  }
  CHECK(date_number("2023-09-13") == std::optional<int>(20230913));
  CHECK(date_number("2023-09") == std::optional<int>(20230901));
  CHECK_FALSE(date_number("").has_value());
  CHECK_FALSE(date_number("June 2024").has_value());
}

TEST_CASE("parse_age and derive_std_ages", "[normalize]") {
  CHECK(parse_age("18 Years").days == std::optional<int>(18 * 365));
  CHECK(parse_age("6 Months").days == std::optional<int>(180));
  CHECK(parse_age("2 Weeks").days == std::optional<int>(14));
  CHECK(parse_age("16 Years old").days == std::optional<int>(16 * 365));
  CHECK_FALSE(parse_age("N/A").days.has_value());
  CHECK_FALSE(parse_age("").days.has_value());
  CHECK(parse_age("18 Years").text == "18 Years");

  auto ages = [](const std::string& lo, const std::string& hi) {
    return derive_std_ages(parse_age(lo), parse_age(hi));
  };
  CHECK(ages("18 Years", "64 Years") == std::vector<std::string>{"ADULT"});
  CHECK(ages("", "") == std::vector<std::string>{"CHILD", "ADULT", "OLDER_ADULT"});
  CHECK(ages("6 Months", "17 Years") == std::vector<std::string>{"CHILD"});
  CHECK(ages("65 Years", "N/A") == std::vector<std::string>{"OLDER_ADULT"});
  CHECK(ages("12 Years", "70 Years") == std::vector<std::string>{"CHILD", "ADULT", "OLDER_ADULT"});
}

TEST_CASE("normalize_sex, is_nct_id and shown_input", "[normalize]") {
  CHECK(normalize_sex("All") == "ALL");
  CHECK(normalize_sex("Both") == "ALL");
  CHECK(normalize_sex("Female") == "FEMALE");
  CHECK(normalize_sex("male") == "MALE");

  CHECK(is_nct_id("NCT01234567"));
  CHECK(is_nct_id("nct01234567"));
  CHECK_FALSE(is_nct_id("NCT0123456"));
  CHECK_FALSE(is_nct_id("NCT012345678"));
  CHECK_FALSE(is_nct_id("NCX01234567"));
  CHECK_FALSE(is_nct_id("NCT0123456a"));

  CHECK(shown_input("lupus") == "lupus");
  CHECK(shown_input("a\x1b[31mb") == "a?[31mb");
  CHECK(shown_input(std::string(100, 'x'), 10) == std::string(10, 'x') + "... (100 bytes)");
}
