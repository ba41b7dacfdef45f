#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "analyzers/drug_codes.hpp"

using trialsearch::canonical_code;
using trialsearch::CodeContext;
using trialsearch::find_codes;

namespace {

constexpr auto R = CodeContext::Record;
constexpr auto Q = CodeContext::Query;

struct CodeCase {
  const char* input;
  CodeContext context;
  std::vector<std::string> expected;  ///< canonical codes, in order
};

// clang-format off
const CodeCase kCases[] = {
  // The four spellings of one code, in record text.
  {"CC-97540",                        R, {"cc97540"}},
  {"CC97540",                         R, {"cc97540"}},
  {"cc97540",                         R, {"cc97540"}},
  {"CC 97540",                        R, {"cc97540"}},
  {"CC\u201197540",                   R, {"cc97540"}},  // non-breaking hyphen
  {"CC\u201097540",                   R, {"cc97540"}},  // hyphen
  {"CC\u201297540",                   R, {"cc97540"}},  // figure dash
  {"CC\u201397540",                   R, {"cc97540"}},  // en dash
  {"CC\u221297540",                   R, {"cc97540"}},  // minus sign
  {"CC\u00a097540",                   R, {"cc97540"}},  // no-break space: a spaced form
  // Real codes.
  {"BMS-986353",                      R, {"bms986353"}},
  {"BMS\u2011986165",                 R, {"bms986165"}},
  {"IMC-002",                         R, {"imc002"}},
  {"MEDI-546",                        R, {"medi546"}},
  {"PF-06651600",                     R, {"pf06651600"}},
  {"LY3009104",                       R, {"ly3009104"}},
  {"NNC0114-0006",                    R, {"nnc01140006"}},
  {"COVID-19",                        R, {"covid19"}},
  {"XmAb5871",                        R, {"xmab5871"}},
  {"CNTO 1275",                       R, {"cnto1275"}},
  {"AB-1234AT04",                     R, {"ab1234at04"}},
  {"CC-97540A",                       R, {"cc97540a"}},
  {"RC18",                            R, {"rc18"}},
  // In running text, with punctuation around.
  {"CC-97540 (BMS-986353) on Day 1",  R, {"cc97540", "bms986353"}},
  {"\u00abCC-97540\u00bb, then LY3009104.", R, {"cc97540", "ly3009104"}},
  {"CC-97540-treated patients",       R, {"cc97540"}},
  {"COVID-19-related delays",         R, {"covid19"}},
  {"Drugs: HGS1006/MEDI-546",         R, {"hgs1006", "medi546"}},
  // Spaced forms in records: upper-case letters and 3+ digits only.
  {"cc 97540",                        R, {}},
  {"Cc 97540",                        R, {}},
  {"CC 12",                           R, {}},
  {"CC  97540",                       R, {}},  // two spaces
  {"A 123",                           R, {}},  // one letter
  {"ABC 2020",                        R, {}},  // a year
  {"JUNE 2020",                       R, {}},
  {"WEEK 104",                        R, {}},
  {"VISIT 104",                       R, {}},
  {"PHASE 3",                         R, {}},
  // Hyphenated words are not codes.
  {"anti-dsDNA",                      R, {}},
  {"non-Hodgkin lymphoma",            R, {}},
  {"anti-CD19 CAR T cells",           R, {}},
  {"SLE-related",                     R, {}},
  {"T-cell",                          R, {}},
  {"SARS-CoV-2",                      R, {}},
  {"IL-6",                            R, {}},  // one digit
  {"Day-28",                          R, {}},  // a common word
  {"Week-104",                        R, {}},
  // Numbers, dates, ratios, doses, trial ids.
  {"12345",                           R, {}},
  {"2023-09-13",                      R, {}},
  {"titre 1:160",                     R, {}},
  {"10mg",                            R, {}},
  {"10 mg/kg",                        R, {}},
  {"NCT05869955",                     R, {}},
  {"ISRCTN12345678",                  R, {}},
  // Out of bounds: too many letters or digits, two separators, not at a word start.
  {"ABCDEFG-123",                     R, {}},
  {"CC-123456789",                    R, {}},
  {"CC-1",                            R, {}},
  {"CC--97540",                       R, {}},
  {"\u00e9CC-97540",                  R, {}},
  {"x3CC-97540",                      R, {}},
  {"CC97540xyzw",                     R, {}},  // a tail too long to be one
  // Queries: spaced codes in any case, never common words or years.
  {"cc 97540",                        Q, {"cc97540"}},
  {"Cc 97540",                        Q, {"cc97540"}},
  {"bms 986353",                      Q, {"bms986353"}},
  {"cc-97540",                        Q, {"cc97540"}},
  {"CC-97540 OR cc 97540",            Q, {"cc97540", "cc97540"}},
  {"cc 12",                           Q, {}},
  {"week 104",                        Q, {}},
  {"visit 123",                       Q, {}},
  {"phase 3",                         Q, {}},
  {"cohort 100",                      Q, {}},
  {"dose 100",                        Q, {}},
  {"group 101",                       Q, {}},
  {"lupus 2023",                      Q, {}},
  {"anti-CD19",                       Q, {}},
};
// clang-format on

std::vector<std::string> canonicals(std::string_view text, CodeContext context) {
  std::vector<std::string> out;
  for (const auto& match : find_codes(text, context)) out.push_back(match.canonical);
  return out;
}

}  // namespace

TEST_CASE("find_codes: table of record and query texts", "[analyzers]") {
  for (const auto& c : kCases) {
    INFO("input: " << c.input << (c.context == R ? " (record)" : " (query)"));
    CHECK(canonicals(c.input, c.context) == c.expected);
  }
}

TEST_CASE("find_codes: byte offsets and the spaced flag", "[analyzers]") {
  std::string text = "Drug: CC\u201197540 and cc 97540";
  auto record = find_codes(text, R);
  REQUIRE(record.size() == 1);
  CHECK(record[0].begin == 6);
  CHECK(record[0].end == 6 + 2 + 3 + 5);  // the dash is 3 bytes of UTF-8
  CHECK_FALSE(record[0].spaced);

  auto query = find_codes(text, Q);
  REQUIRE(query.size() == 2);
  CHECK(text.substr(query[1].begin, query[1].end - query[1].begin) == "cc 97540");
  CHECK(query[1].spaced);
  CHECK_FALSE(query[0].spaced);
}

TEST_CASE("find_codes: invalid UTF-8 is tolerated", "[analyzers]") {
  CHECK(canonicals("\xff"
                   "CC-97540 \xc3",
                   R) == std::vector<std::string>{"cc97540"});
  CHECK(canonicals("CC-\xe2\x80", R).empty());
}

TEST_CASE("canonical_code: the whole string is one code", "[analyzers]") {
  CHECK(canonical_code("BMS-986353") == "bms986353");
  CHECK(canonical_code(" cc 97540 ") == "cc97540");
  CHECK(canonical_code("CC\u201197540") == "cc97540");
  CHECK(canonical_code("COVID-19") == "covid19");
  CHECK(canonical_code("NNC0114-0006") == "nnc01140006");
  CHECK_FALSE(canonical_code("CC-97540 tablets"));
  CHECK_FALSE(canonical_code("anti-CD19 CAR T"));
  CHECK_FALSE(canonical_code("belimumab"));
  CHECK_FALSE(canonical_code("week 104"));
  CHECK_FALSE(canonical_code(""));
}

TEST_CASE("is_common_code_word ignores case", "[analyzers]") {
  CHECK(trialsearch::is_common_code_word("Week"));
  CHECK(trialsearch::is_common_code_word("COHORT"));
  CHECK_FALSE(trialsearch::is_common_code_word("CC"));
}
