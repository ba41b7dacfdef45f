// Search that tells the truth on a terminal (issue 17): counts and paging that do not move with
// the page asked for, a query language that refuses what it cannot read, and terminal output.
// The real binary, checked through --json and exit codes (the human format only where the
// defect is in it).
#include <simdjson.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <set>

#include "analyzers/fields.hpp"
#include "tests/support/test_support.hpp"

using namespace trialsearch;
using test::run_cli;

namespace {

std::string fmt_id(int i) {
  std::string n = std::to_string(i);
  return "NCT0880" + std::string(4 - n.size(), '0') + n;
}

// Generated trials: enough of them, in enough combinations of a few words, that Xapian's
// estimates and the page-by-page tiers would show in the counts.
const std::string& generated_db() {
  static test::TempDir dir;
  static std::string db = [] {
    auto src = dir.path() / "generated.jsonl";
    std::ofstream out(src);
    const char* titles[] = {"Lupus nephritis in adults", "Nephritis and lupus in children",
                            "Lupus arthritis", "Rituximab for lupus nephritis",
                            "Kidney disease and lupus"};
    const char* statuses[] = {"RECRUITING", "COMPLETED", "NOT_YET_RECRUITING"};
    for (int i = 0; i < 150; ++i)
      out << test::study_json(fmt_id(i), std::string(titles[i % 5]) + " " + std::to_string(i),
                              i % 4 == 0 ? "rituximab" : "placebo", {}, statuses[i % 3])
          << "\n";
    out.close();
    std::string path = (dir.path() / "db").string();
    auto r = run_cli({"index", "--db", path, src.string()});
    REQUIRE(r.exit_code == 0);
    return path;
  }();
  return db;
}

simdjson::dom::element parse(simdjson::dom::parser& parser, const std::string& json) {
  return parser.parse(json);
}

struct Page {
  std::uint64_t total = 0;
  bool exact = false;
  std::vector<std::string> ids;
  std::vector<std::uint64_t> ranks;
  bool did_you_mean = false;
};

Page search_page(const std::string& db, std::vector<std::string> args) {
  args.insert(args.begin(), {"search", "--db", db, "--json"});
  auto r = run_cli(args);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  simdjson::dom::parser parser;
  auto doc = parse(parser, r.out);
  Page p;
  p.total = doc["total"];
  p.exact = doc["total_exact"];
  for (auto hit : doc["results"].get_array()) {
    p.ids.emplace_back(std::string_view(hit["nct_id"]));
    p.ranks.push_back(std::uint64_t(hit["rank"]));
  }
  std::string_view dym;
  p.did_you_mean = doc["did_you_mean"].get(dym) == simdjson::SUCCESS;
  return p;
}

}  // namespace

TEST_CASE("the count does not move with --limit or --facets, and is exact", "[e2e][counts]") {
  for (const std::string q : {"\"lupus nephritis\"", "lupus nephritis", "lupus", "rituximab lupus",
                              "arthritis OR kidney", "status:recruiting"}) {
    INFO(q);
    Page all = search_page(generated_db(), {"--limit", "1000", q});
    REQUIRE(!all.ids.empty());
    CHECK(all.exact);
    CHECK(all.total == all.ids.size());
    CHECK_FALSE(all.did_you_mean);
    for (std::vector<std::string> extra : {std::vector<std::string>{"--limit", "0"},
                                           {"--limit", "1"},
                                           {"--limit", "3"},
                                           {"--limit", "1", "--facets", "status"},
                                           {"--limit", "0", "--facets", "status"}}) {
      INFO(extra[1]);
      extra.push_back(q);
      Page p = search_page(generated_db(), extra);
      CHECK(p.total == all.total);
      CHECK(p.exact);
      CHECK_FALSE(p.did_you_mean);  // something matched: no suggestion, even on an empty page
    }
  }
}

TEST_CASE("a page with hits never says that nothing matches", "[e2e][counts]") {
  for (const std::string limit : {"1", "3"}) {
    auto r = run_cli({"search", "--db", generated_db(), "--limit", limit, "\"lupus nephritis\""});
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("No trials match") == std::string::npos);
    CHECK(r.out.find("  1. NCT") != std::string::npos);
  }
  auto none = run_cli({"search", "--db", generated_db(), "--limit", "0", "\"lupus nephritis\""});
  REQUIRE(none.exit_code == 0);
  CHECK(none.out.find("No trials match") == std::string::npos);
  CHECK(none.out.find("Did you mean") == std::string::npos);
}

TEST_CASE("--offset: hits are numbered from the offset, once", "[e2e][counts]") {
  Page all = search_page(generated_db(), {"--limit", "1000", "lupus"});
  REQUIRE(all.ids.size() > 13);
  Page page = search_page(generated_db(), {"--limit", "3", "--offset", "10", "lupus"});
  CHECK(page.ranks == std::vector<std::uint64_t>{11, 12, 13});
  CHECK(page.ids == std::vector<std::string>(all.ids.begin() + 10, all.ids.begin() + 13));

  auto csv = run_cli(
      {"search", "--db", generated_db(), "--csv", "--limit", "3", "--offset", "10", "lupus"});
  REQUIRE(csv.exit_code == 0);
  CHECK(csv.out.find("\n11,") != std::string::npos);
  CHECK(csv.out.find("\n21,") == std::string::npos);

  auto human =
      run_cli({"search", "--db", generated_db(), "--limit", "3", "--offset", "10", "lupus"});
  REQUIRE(human.exit_code == 0);
  CHECK(human.out.find("(showing 11-13)") != std::string::npos);
  CHECK(human.out.find(" 11. " + all.ids[10]) != std::string::npos);
  CHECK(human.out.find(" 21. ") == std::string::npos);
}

TEST_CASE("one match is \"1 trial matches\"", "[e2e][counts]") {
  auto r = run_cli({"search", "--db", generated_db(), "\"lupus arthritis 7\""});
  REQUIRE(r.exit_code == 0);
  Page p = search_page(generated_db(), {"\"lupus arthritis 7\""});
  REQUIRE(p.total == 1);
  CHECK(r.out.find("1 trial matches (showing 1-1)") != std::string::npos);
}

namespace {

// The bundled corpus (the lupus-area records and the seeds).
const std::string& corpus_db() {
  static test::TempDir dir;
  static std::string db = [] {
    std::string path = (dir.path() / "db").string();
    auto r = run_cli({"index", "--db", path, test::corpus_dir().string()});
    REQUIRE(r.exit_code == 0);
    return path;
  }();
  return db;
}

std::vector<std::string> ids_of(const std::string& db, std::vector<std::string> args) {
  return search_page(db,
                     [&] {
                       args.insert(args.begin(), {"--limit", "1000"});
                       return args;
                     }())
      .ids;
}

std::size_t lines(const std::string& text) { return std::count(text.begin(), text.end(), '\n'); }

}  // namespace

TEST_CASE("a name before a colon that is no field is refused, naming the fields", "[e2e][query]") {
  for (const std::string q : {"sponser:Pfizer", "lupus class:industry"}) {
    INFO(q);
    auto r = run_cli({"search", "--db", corpus_db(), q});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("unknown field") != std::string::npos);
    CHECK(r.err.find("sponsor") != std::string::npos);
    CHECK(r.err.find("cond") != std::string::npos);
    CHECK(lines(r.err) == 1);
  }
  auto near = run_cli({"search", "--db", corpus_db(), "sponser:Pfizer"});
  CHECK(near.err.find("did you mean 'sponsor:'") != std::string::npos);
  // a colon in ordinary text is text
  for (const std::string q : {"lupus visit at 10:30", "lupus: kidney", "NCT05869955:"}) {
    INFO(q);
    CHECK(run_cli({"search", "--db", corpus_db(), "--ids", q}).exit_code == 0);
  }
  // a pasted trial page finds that trial, first
  for (const std::string url : {"https://clinicaltrials.gov/study/NCT05869955",
                                "https://clinicaltrials.gov/ct2/show/NCT05869955?term=lupus"}) {
    INFO(url);
    auto ids = ids_of(corpus_db(), {url});
    REQUIRE(!ids.empty());
    CHECK(ids.front() == "NCT05869955");
  }
}

TEST_CASE("unbalanced parentheses and empty ranges are refused", "[e2e][query]") {
  for (const std::string q : {"title:(unclosed", "(lupus OR belimumab", "lupus)",
                              "start:2025..2023", "enrollment:500..100"}) {
    INFO(q);
    auto r = run_cli({"search", "--db", corpus_db(), q});
    CHECK(r.exit_code == 2);
    CHECK(lines(r.err) == 1);
  }
  CHECK(run_cli({"search", "--db", corpus_db(), "start:2023..2025"}).exit_code == 0);
  CHECK(run_cli({"search", "--db", corpus_db(), "title:(lupus OR sclerosis)"}).exit_code == 0);
  CHECK(run_cli({"search", "--db", corpus_db(), "\"lupus)\""}).exit_code == 0);
}

TEST_CASE("search --help and the README name every field, filter and range of the schema",
          "[e2e][query]") {
  auto help = run_cli({"search", "--help"});
  REQUIRE(help.exit_code == 0);
  std::string readme = test::read_file(test::source_dir() / "README.md");
  for (const auto& f : kFields) {
    std::string_view names = f.query_names;
    while (!names.empty()) {
      auto sp = std::min(names.find(' '), names.size());
      std::string name = std::string(names.substr(0, sp)) + ":";
      INFO(name);
      CHECK(help.out.find(" " + name) != std::string::npos);
      CHECK(readme.find(" " + name) != std::string::npos);
      names.remove_prefix(std::min(sp + 1, names.size()));
    }
    CHECK(help.out.find(std::string(f.help)) != std::string::npos);
  }
  for (const auto& r : kRanges) {
    INFO(r.name);
    CHECK(help.out.find(" " + std::string(r.name) + ":") != std::string::npos);
    CHECK(readme.find(" " + std::string(r.name) + ":") != std::string::npos);
  }
}

TEST_CASE("--results, --age-group, --funder-type filter as their fields do", "[e2e][query]") {
  const auto all = ids_of(corpus_db(), {""});
  const auto with = ids_of(corpus_db(), {"--results", "yes", ""});
  const auto without = ids_of(corpus_db(), {"--results", "no", ""});
  CHECK(with.size() + without.size() == all.size());
  CHECK(with == ids_of(corpus_db(), {"results:yes"}));
  CHECK(without == ids_of(corpus_db(), {"results:no"}));
  auto adults = ids_of(corpus_db(), {"--age-group", "adult", ""});
  CHECK(!adults.empty());
  CHECK(adults == ids_of(corpus_db(), {"agegroup:adult"}));
  CHECK(ids_of(corpus_db(), {"--age-group", "older-adult,child", ""}) ==
        ids_of(corpus_db(), {"agegroup:\"older adult\" OR agegroup:child"}));
  auto industry = ids_of(corpus_db(), {"--funder-type", "industry", ""});
  CHECK(!industry.empty());
  CHECK(industry == ids_of(corpus_db(), {"sponsorclass:industry"}));
  for (std::vector<std::string> bad : {std::vector<std::string>{"--funder-type", "pharma"},
                                       {"--age-group", "teen"},
                                       {"--results", "maybe"}}) {
    INFO(bad[0]);
    bad.insert(bad.begin(), {"search", "--db", corpus_db()});
    bad.push_back("lupus");
    CHECK(run_cli(bad).exit_code == 2);
  }
}

TEST_CASE("--country takes ISO 3166 names and codes, USA and UK; refuses unknown countries",
          "[e2e][query]") {
  auto us = ids_of(corpus_db(), {"--country", "United States", ""});
  REQUIRE(!us.empty());
  for (const std::string c : {"USA", "US", "usa", "United States of America"}) {
    INFO(c);
    CHECK(ids_of(corpus_db(), {"--country", c, ""}) == us);
  }
  CHECK(ids_of(corpus_db(), {"country:USA"}) == us);
  auto uk = ids_of(corpus_db(), {"--country", "United Kingdom", ""});
  REQUIRE(!uk.empty());
  for (const std::string c : {"UK", "GB", "GBR"})
    CHECK(ids_of(corpus_db(), {"--country", c, ""}) == uk);
  auto de = ids_of(corpus_db(), {"--country", "Germany", ""});
  REQUIRE(!de.empty());
  CHECK(ids_of(corpus_db(), {"--country", "DE", ""}) == de);
  CHECK(ids_of(corpus_db(), {"--country", "deu", ""}) == de);
  for (std::vector<std::string> args :
       {std::vector<std::string>{"--country", "Atlantis", "lupus"}, {"country:atlantis lupus"}}) {
    args.insert(args.begin(), {"search", "--db", corpus_db()});
    auto r = run_cli(args);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("unknown country '") != std::string::npos);
    CHECK(r.err.find("tlantis'") != std::string::npos);
    CHECK(lines(r.err) == 1);
  }
  // a name with a comma survives --country's comma-separated list
  CHECK(run_cli({"search", "--db", corpus_db(), "--country", "Korea, Republic of", "lupus"})
            .exit_code == 0);
}

TEST_CASE("lower-case stopwords are not scored: `lupus and rituximab` ranks as `lupus rituximab`",
          "[e2e][query]") {
  for (auto [with, without] :
       {std::pair<std::string, std::string>{"lupus and rituximab", "lupus rituximab"},
        {"the nephritis of lupus", "nephritis lupus"},
        {"lupus or kidney", "lupus kidney"}}) {
    INFO(with);
    auto expected = ids_of(generated_db(), {without});
    REQUIRE(!expected.empty());
    CHECK(ids_of(generated_db(), {with}) == expected);
  }
}

TEST_CASE("a misspelt word among several: the whole corrected query, said first",
          "[e2e][spelling]") {
  auto r = run_cli({"search", "--db", corpus_db(), "--json", "systemic lupus erythmatosus"});
  REQUIRE(r.exit_code == 0);
  simdjson::dom::parser parser;
  auto doc = parser.parse(r.out);
  CHECK(std::string_view(doc["did_you_mean"]) == "systemic lupus erythematosus");
  CHECK_FALSE(bool(doc["all_words_matched"]));
  std::uint64_t corrected_matches = doc["did_you_mean_matches"];
  CHECK(corrected_matches ==
        ids_of(corpus_db(), {"--match", "all", "systemic lupus erythematosus"}).size());
  auto human = run_cli({"search", "--db", corpus_db(), "systemic lupus erythmatosus"});
  CHECK(human.out.find("Did you mean: systemic lupus erythematosus") <
        human.out.find("trials match"));
  // words the index holds are never "corrected" into others
  auto fine = search_page(corpus_db(), {"--limit", "0", "systemic lupus erythematosus"});
  CHECK_FALSE(fine.did_you_mean);
}

TEST_CASE("ClinicalTrials.gov's AREA[...] syntax is read as our fields, or refused",
          "[e2e][query]") {
  for (auto [expert, ours] :
       {std::pair<std::string, std::string>{"AREA[Condition]lupus", "cond:lupus"},
        {"AREA[InterventionName]\"CC-97540\"", "drug:\"CC-97540\""},
        {"AREA[OverallStatus]RECRUITING", "status:recruiting"},
        {"AREA[StartDate]RANGE[2023-01-01,MAX]", "start:2023-01-01.."},
        {"AREA[StartDate]RANGE[MIN, 2020-12-31]", "start:..2020-12-31"},
        {"AREA[Phase]PHASE3", "phase:3"},
        {"AREA[LocationCountry]Germany", "country:germany"},
        {"lupus AND AREA[LocationCountry]\"United States\"",
         "lupus AND country:\"united states\""}}) {
    INFO(expert);
    auto expected = ids_of(corpus_db(), {ours});
    CHECK(!expected.empty());
    CHECK(ids_of(corpus_db(), {expert}) == expected);
  }
  for (const std::string q :
       {"AREA[DesignMasking]DOUBLE", "SEARCH[Location](AREA[LocationCity]Boston)"}) {
    INFO(q);
    auto r = run_cli({"search", "--db", corpus_db(), q});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("InterventionName") != std::string::npos);
    CHECK(lines(r.err) == 1);
  }
}
