// `match` through the real binary on the bundled corpus: what it reads from a description
// (concepts, negation, relatives, age, sex), the eligibility check as a ranking factor and as a
// filter, text that looks like query syntax, the word limit; and `search` on pasted text.
#include <simdjson.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "tests/support/test_support.hpp"

using namespace trialsearch;
using test::run_cli;

namespace {

const std::string& corpus_db() { return test::corpus_database(); }

// A lupus patient: two listed conditions, a negated one (the corpus's men-only ankylosing
// spondylitis trial), a relative's, and a quote and a colon that are only text.
const std::string kLupusPatient =
    "A 34-year-old woman with systemic lupus erythematosus and lupus nephritis. She denies "
    "\"joint pain\": no history of ankylosing spondylitis. Her mother had COVID-19.";

struct Matched {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  std::vector<std::string> ids;
  std::vector<std::string> names(std::string_view list) {
    std::vector<std::string> out;
    for (auto c : doc["patient"][list].get_array()) out.emplace_back(std::string_view(c["name"]));
    return out;
  }
  // whether --explain's summary has a line that starts with `start` and names `part`
  bool summary_has(std::string_view start, std::string_view part) {
    for (auto line : doc["explain_summary"].get_array()) {
      std::string_view l(line);
      if (l.starts_with(start) && l.find(part) != std::string_view::npos) return true;
    }
    return false;
  }
};

void run_match(Matched& m, std::vector<std::string> args, const std::string& stdin_text = {}) {
  args.insert(args.begin(), {"match", "--db", corpus_db(), "--json", "--limit", "50"});
  auto r = run_cli(args, stdin_text);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  m.doc = m.parser.parse(r.out);
  for (auto hit : m.doc["results"].get_array()) m.ids.emplace_back(std::string_view(hit["nct_id"]));
}

bool has(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

std::ptrdiff_t rank_of(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) - v.begin();
}

}  // namespace

TEST_CASE("match reads concepts, negation, relatives, age and sex from the text", "[e2e][match]") {
  Matched m;
  run_match(m, {"--", kLupusPatient});
  CHECK(double(m.doc["patient"]["age_years"]) == 34);
  CHECK(std::string_view(m.doc["patient"]["age_from"]) == "34-year-old");
  CHECK(std::string_view(m.doc["patient"]["sex"]) == "female");
  CHECK(std::string_view(m.doc["patient"]["sex_from"]) == "woman");
  auto concepts = m.names("concepts");
  CHECK(has(concepts, "systemic lupus erythematosus"));
  CHECK(has(concepts, "lupus nephritis"));
  CHECK_FALSE(has(concepts, "ankylosing spondylitis"));
  CHECK_FALSE(has(concepts, "covid 19"));
  CHECK(has(m.names("negated"), "ankylosing spondylitis"));
  CHECK(has(m.names("family"), "covid 19"));
  // a relative's condition is not the patient's: the COVID-19 vaccine trial is not matched by it
  CHECK_FALSE(has(m.ids, "NCT09900004"));
  // the lupus nephritis trial first; the men-only trial, matched by the negated words,
  // below the trials with a lupus concept in their conditions
  REQUIRE_FALSE(m.ids.empty());
  CHECK(m.ids.front() == "NCT09900001");
  REQUIRE(has(m.ids, "NCT09900006"));
  for (const char* lupus : {"NCT09900001", "NCT06535412"})
    CHECK(rank_of(m.ids, lupus) < rank_of(m.ids, "NCT09900006"));
}

TEST_CASE("match: the eligibility check ranks excluded trials lower, or leaves them out",
          "[e2e][match]") {
  Matched ranked, only, male, male_ranked;
  run_match(ranked, {"--explain", "--", kLupusPatient});
  run_match(male_ranked, {"--sex", "male", "--", kLupusPatient});
  // admitted, the men-only trial ranks higher than when it excludes the patient
  CHECK(rank_of(male_ranked.ids, "NCT09900006") < rank_of(ranked.ids, "NCT09900006"));
  run_match(only, {"--eligible-only", "--", kLupusPatient});
  run_match(male, {"--sex", "male", "--age", "40", "--eligible-only", "--", kLupusPatient});
  CHECK(has(ranked.ids, "NCT09900006"));
  CHECK_FALSE(has(only.ids, "NCT09900006"));  // men only
  CHECK(has(male.ids, "NCT09900006"));        // --sex overrides the text
  CHECK(std::string_view(male.doc["patient"]["sex_from"]) == "--sex");
  CHECK(double(male.doc["patient"]["age_years"]) == 40);
  // --explain: per hit, the concepts matched and why it passed (or failed) the check
  std::string first_eligibility, excluded_eligibility;
  bool concept_matched = false;
  for (auto hit : ranked.doc["results"].get_array()) {
    std::string id{std::string_view(hit["nct_id"])};
    for (auto e : hit["explain"].get_array()) {
      std::string field{std::string_view(e["field"])};
      std::string word{std::string_view(e["word"])};
      if (id == "NCT09900001" && field == "condition" && word == "lupus nephritis")
        concept_matched = true;
      if (field != "eligibility") continue;
      if (id == "NCT09900001") first_eligibility = word;
      if (id == "NCT09900006") excluded_eligibility = word;
    }
  }
  CHECK(concept_matched);
  CHECK(
      first_eligibility.find("age 34 years within the trial's age limits (18 years to 75 years)") !=
      std::string::npos);
  CHECK(excluded_eligibility.find("sex female excluded (trial: male): ranked lower") !=
        std::string::npos);
  CHECK(ranked.summary_has("negated", "ankylosing spondylitis (condition)"));
}

TEST_CASE("match: query syntax is text; standard input; the word limit", "[e2e][match][limits]") {
  Matched syntax, piped;
  run_match(syntax, {"--", "lupus AND nephritis: \"baby face\" (title:covid -belimumab"});
  CHECK(has(syntax.ids, "NCT09900001"));
  run_match(piped, {"-"}, kLupusPatient);
  CHECK(piped.ids.front() == "NCT09900001");
  std::string at_limit, over;
  for (std::size_t i = 0; i < 5000; ++i) at_limit += "lupus ";
  over = at_limit + "lupus";
  CHECK(run_cli({"match", "--db", corpus_db(), "--ids", "-"}, at_limit).exit_code == 0);
  auto refused = run_cli({"match", "--db", corpus_db(), "--ids", "-"}, over);
  CHECK(refused.exit_code == 2);
  CHECK(refused.err.find("at most 5000") != std::string::npos);
  CHECK(run_cli({"match", "--db", corpus_db(), "--", "   "}).exit_code == 2);
  CHECK(run_cli({"match", "--db", corpus_db(), "--json", "--csv", "lupus"}).exit_code == 2);
}

TEST_CASE("search on pasted text: no phrase required, no field refused, any word by weight",
          "[e2e][search][match]") {
  // more than 16 words, a quote and "name:" that is no field: as a query, the quote would be a
  // required phrase and the colon refused
  const std::string pasted =
      "The patient, a woman of 34, was told: \"lupus nephritis baby face\" after a biopsy; she "
      "also has systemic lupus erythematosus and takes her medicines every day";
  auto r = run_cli({"search", "--db", corpus_db(), "--json", "--explain", "--", pasted});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  simdjson::dom::parser parser;
  simdjson::dom::element doc = parser.parse(r.out);
  std::vector<std::string> ids;
  for (auto hit : doc["results"].get_array()) ids.emplace_back(std::string_view(hit["nct_id"]));
  REQUIRE_FALSE(ids.empty());
  CHECK(ids.front() == "NCT09900001");
  std::string parsed{std::string_view(doc["parsed"])};
  CHECK(parsed.find("PHRASE") == std::string::npos);
  CHECK(parsed.find(" AND ") == std::string::npos);
  CHECK(parsed.find("(the") == std::string::npos);  // stopwords dropped
  // the same quote in a short query is still a phrase
  auto short_query = run_cli({"search", "--db", corpus_db(), "--json", "\"lupus nephritis\""});
  CHECK(std::string_view(parser.parse(short_query.out)["parsed"]).find("PHRASE") !=
        std::string_view::npos);
}

TEST_CASE("match --explain lists a keyword of the index as a concept from \"keyword\"",
          "[e2e][match][keyword]") {
  // "pregnancy registry" is only a keyword (NCT09900002's), no condition, MeSH term or drug
  Matched m;
  run_match(m, {"--explain", "--", kLupusPatient + " She is enrolled in a pregnancy registry."});
  bool from_keyword = false;
  for (auto c : m.doc["patient"]["concepts"].get_array()) {
    if (std::string_view(c["name"]) != "pregnancy registry") continue;
    std::vector<std::string> sources;
    for (auto s : c["sources"].get_array()) sources.emplace_back(std::string_view(s));
    from_keyword = sources == std::vector<std::string>{"keyword"};
  }
  CHECK(from_keyword);
  CHECK(m.summary_has("concepts:", "pregnancy registry (keyword)"));
  // without it, no such concept
  Matched plain;
  run_match(plain, {"--", kLupusPatient});
  CHECK_FALSE(has(plain.names("concepts"), "pregnancy registry"));
}

TEST_CASE("match --sex is the patient's one sex: a list is a usage error", "[e2e][match][cli]") {
  for (std::vector<std::string> list : {std::vector<std::string>{"--sex", "female,male"},
                                        {"--sex", "female", "--sex", "male"},
                                        {"--sex=male,female"}}) {
    std::vector<std::string> args{"match", "--db", corpus_db(), "--ids"};
    args.insert(args.end(), list.begin(), list.end());
    args.insert(args.end(), {"--", kLupusPatient});
    auto r = run_cli(args);
    INFO(r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    // one line, naming the option
    CHECK(r.err ==
          "trialsearch: --sex: the patient's sex is one value (female or male), not a list\n");
  }
  auto bad = run_cli({"match", "--db", corpus_db(), "--sex", "woman", "--", kLupusPatient});
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("--sex") != std::string::npos);
  // one value works (and overrides the text: the men-only trial is admitted)
  Matched male;
  run_match(male, {"--sex", "male", "--eligible-only", "--", kLupusPatient});
  CHECK(std::string_view(male.doc["patient"]["sex"]) == "male");
  CHECK(has(male.ids, "NCT09900006"));
  // search's --sex is still a list of filter values
  auto search = run_cli({"search", "--db", corpus_db(), "--ids", "--sex", "female,male", "lupus"});
  CHECK(search.exit_code == 0);
  CHECK_FALSE(search.out.empty());
}
