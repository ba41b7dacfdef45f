// Relevance smoke test on the shared real records: a few TREC 2022 topics' first gpt-4-turbo
// keyword finds a trial judged relevant (grade 1 or 2) in the first ten results, and `match` on
// a few topics' patient text (its first 120 words) does too. Not a tuning target
// (scripts/eval-relevance measures ranking, and its --guard, run by ctest as
// eval_relevance_smoke, fails when match falls below 1.25x plain BM25 on the same text): the
// topics were chosen where a judged-relevant trial ranks first, so the test fails only when
// ranking breaks badly.
#include <simdjson.h>
#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

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

// The shared real records indexed once for this file's tests.
const std::string& real_records_db() {
  static test::TempDir dir;
  static std::string db = [] {
    std::string path = (dir.path() / "db").string();
    auto r = run_cli(
        {"index", "-q", "--db", path,
         (test::shared_data_dir() / "ctgov-xml" / "AllPublicXML-subset-2023-02-03.zip").string(),
         (test::shared_data_dir() / "ctgov-json-v2" / "studies.jsonl").string()});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    return path;
  }();
  return db;
}

// The ids `args` returns (--json), in order.
std::vector<std::string> result_ids(std::vector<std::string> args) {
  auto r = run_cli(args);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  simdjson::dom::parser parser;
  std::vector<std::string> ids;
  for (simdjson::dom::element hit : parser.parse(r.out)["results"])
    ids.emplace_back(std::string_view(hit["nct_id"]));
  return ids;
}

}  // namespace

TEST_CASE("TREC 2022 topics' first keywords find a judged-relevant trial in the top 10",
          "[data][relevance][e2e]") {
  auto rel = test::shared_data_dir() / "relevance" / "trec-ct-2022";
  const std::string& db = real_records_db();
  simdjson::dom::parser json;
  simdjson::dom::element topics = json.load((rel / "id2queries.json").string());
  for (std::string topic :
       {"trec-20223", "trec-202223", "trec-202224", "trec-202237", "trec-202242"}) {
    std::string_view first_keyword = topics[topic]["gpt-4-turbo"]["conditions"].at(0);
    auto relevant = relevant_trials(rel / "qrels.tsv", topic);
    INFO(topic << ": " << first_keyword);
    REQUIRE(!relevant.empty());
    int found = 0;
    for (const auto& id : result_ids(
             {"search", "--db", db, "--json", "--limit", "10", "--", std::string(first_keyword)}))
      found += relevant.count(id) > 0;
    CHECK(found >= 1);
  }
}

TEST_CASE("TREC 2022 patient texts: match finds a judged-relevant trial in the top 10",
          "[data][relevance][e2e][match]") {
  auto rel = test::shared_data_dir() / "relevance" / "trec-ct-2022";
  const std::string& db = real_records_db();
  simdjson::dom::parser json;
  simdjson::dom::element topics = json.load((rel / "id2queries.json").string());
  for (std::string topic :
       {"trec-20221", "trec-20223", "trec-202215", "trec-202226", "trec-202238"}) {
    std::string_view raw = topics[topic]["raw"];
    std::istringstream words{std::string(raw)};
    std::string text, word;
    for (int n = 0; n < 120 && words >> word; ++n) text += (n ? " " : "") + word;
    auto relevant = relevant_trials(rel / "qrels.tsv", topic);
    INFO(topic << ": " << text);
    REQUIRE(!relevant.empty());
    int found = 0;
    for (const auto& id : result_ids({"match", "--db", db, "--json", "--limit", "10", "--", text}))
      found += relevant.count(id) > 0;
    CHECK(found >= 1);
  }
}
