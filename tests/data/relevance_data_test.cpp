// Relevance smoke test on the shared real records: a few TREC 2022 topics' first gpt-4-turbo
// keyword finds a trial judged relevant (grade 1 or 2) in the first ten results. Not a tuning
// target (scripts/eval-relevance measures ranking): the topics were chosen where the first
// judged-relevant trial ranks first, so the test fails only when ranking breaks badly.
#include <simdjson.h>
#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "tests/support/test_support.hpp"

using namespace trialsearch;
using test::run_cli;

namespace {

// qrels.tsv: query-id, corpus-id, score (with a header line).
std::map<std::string, int> relevant_trials(const std::filesystem::path& qrels,
                                           const std::string& topic) {
  std::map<std::string, int> grades;
  std::ifstream in(qrels);
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string q, id, score;
    std::getline(fields, q, '\t');
    std::getline(fields, id, '\t');
    std::getline(fields, score, '\t');
    if (q == topic && std::stoi(score) > 0) grades[id] = std::stoi(score);
  }
  return grades;
}

}  // namespace

TEST_CASE("TREC 2022 topics' first keywords find a judged-relevant trial in the top 10",
          "[data][relevance][e2e]") {
  auto rel = test::shared_data_dir() / "relevance" / "trec-ct-2022";
  test::TempDir dir;
  std::string db = (dir.path() / "db").string();
  auto r = run_cli(
      {"index", "-q", "--db", db,
       (test::shared_data_dir() / "ctgov-xml" / "AllPublicXML-subset-2023-02-03.zip").string(),
       (test::shared_data_dir() / "ctgov-json-v2" / "studies.jsonl").string()});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);

  simdjson::dom::parser json;
  simdjson::dom::element topics = json.load((rel / "id2queries.json").string());
  for (std::string topic :
       {"trec-20223", "trec-202223", "trec-202224", "trec-202237", "trec-202242"}) {
    std::string_view first_keyword = topics[topic]["gpt-4-turbo"]["conditions"].at(0);
    auto relevant = relevant_trials(rel / "qrels.tsv", topic);
    INFO(topic << ": " << first_keyword);
    REQUIRE(!relevant.empty());
    auto s = run_cli(
        {"search", "--db", db, "--json", "--limit", "10", "--", std::string(first_keyword)});
    REQUIRE(s.exit_code == 0);
    simdjson::dom::parser out_parser;
    int found = 0;
    for (simdjson::dom::element hit : out_parser.parse(s.out)["results"]) {
      std::string id{std::string_view(hit["nct_id"])};
      if (relevant.count(id)) ++found;
    }
    CHECK(found >= 1);
  }
}
