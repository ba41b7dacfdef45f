// Search that tells the truth on a terminal (issue 17): counts and paging that do not move with
// the page asked for, a query language that refuses what it cannot read, and terminal output.
// The real binary, checked through --json and exit codes (the human format only where the
// defect is in it).
#include <simdjson.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <set>

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
