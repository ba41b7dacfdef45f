// Importing the public lexicons through `index --lexicon`, then asking `aliases` and `search`.
#include <simdjson.h>
#include <catch2/catch.hpp>

#include "tests/support/test_support.hpp"

using namespace trialsearch;
using test::run_cli;

TEST_CASE("index --lexicon imports Drugs@FDA and DrugBank with provenance",
          "[data][lexicon][e2e]") {
  test::TempDir dir;
  std::string db = (dir.path() / "db").string();
  auto lex = test::shared_data_dir() / "lexicons";
  auto r = run_cli({"index", "--db", db, "--json", "--lexicon",
                    (lex / "drugsatfda-products-2018.tsv").string(), "--lexicon",
                    (lex / "drugbank-open-vocabulary.csv").string(), test::corpus_dir().string()});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  simdjson::dom::parser parser;
  CHECK(uint64_t(parser.parse(r.out)["synonym_keys"]) > 100);
  // both lexicons are stored in the database, whole
  auto st = run_cli({"stats", "--db", db, "--json"});
  REQUIRE(st.exit_code == 0);
  std::uint64_t entries = 0;
  for (auto l : parser.parse(st.out)["lexicons"].get_array()) entries += uint64_t(l["entries"]);
  CHECK(entries > 20000);
  auto a = run_cli({"aliases", "--db", db, "--json", "Erbitux"});
  REQUIRE(a.exit_code == 0);
  CHECK(a.out.find("\"alias\":\"cetuximab\"") != std::string::npos);
  CHECK(a.out.find("Drugs@FDA appl") != std::string::npos);
  // a brand name finds a trial that names only the ingredient, in its eligibility criteria
  auto s = run_cli({"search", "--db", db, "--ids", "plaquenil"});
  REQUIRE(s.exit_code == 0);
  CHECK(s.out.find("NCT05585671") != std::string::npos);
}
