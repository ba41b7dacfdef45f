// `similar` through the real binary on the bundled corpus, checked through --json.
#include <fmt/format.h>
#include <simdjson.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

#include "tests/support/test_support.hpp"

using namespace trialsearch;
using test::run_cli;

namespace {

const std::string& db() {
  static test::TempDir dir;
  static std::string path = [] {
    std::string p = (dir.path() / "db").string();
    REQUIRE(run_cli({"index", "--db", p, test::corpus_dir().string()}).exit_code == 0);
    return p;
  }();
  return path;
}

std::vector<std::string> ids_of(const std::string& json) {
  simdjson::dom::parser parser;
  std::vector<std::string> out;
  for (auto hit : parser.parse(json)["results"].get_array())
    out.emplace_back(std::string_view(hit["nct_id"]));
  return out;
}

std::vector<std::string> similar(std::vector<std::string> args, const std::string& in = {}) {
  args.insert(args.begin(), {"similar", "--db", db(), "--json"});
  auto r = run_cli(args, in);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return ids_of(r.out);
}

bool has(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

TEST_CASE("similar never suggests a source and finds the related trials", "[e2e][similar]") {
  auto ids = similar({"NCT09900001"});
  REQUIRE(!ids.empty());
  CHECK_FALSE(has(ids, "NCT09900001"));
  CHECK(has(ids, "NCT09900002"));  // Benlysta: the same drug
  auto two = similar({"NCT09900001", "NCT05869955"});
  CHECK_FALSE(has(two, "NCT09900001"));
  CHECK_FALSE(has(two, "NCT05869955"));
}

TEST_CASE("similar - reads ids from standard input, as search --ids writes them",
          "[e2e][similar]") {
  CHECK(similar({"-"}, "NCT09900001\n\n") == similar({"NCT09900001"}));
}

TEST_CASE("similar --ids lists the suggestions of --json, in the same order", "[e2e][similar]") {
  for (const std::string source : {"NCT09900001", "NCT05869955"}) {
    auto r = run_cli({"similar", "--db", db(), "--ids", source});
    REQUIRE(r.exit_code == 0);
    std::vector<std::string> listed;
    std::size_t start = 0;
    for (std::size_t nl; (nl = r.out.find('\n', start)) != std::string::npos; start = nl + 1)
      listed.push_back(r.out.substr(start, nl - start));
    auto expected = similar({source});
    REQUIRE(!expected.empty());
    CHECK(listed == expected);
  }
}

TEST_CASE("filters restrict the suggestions, not the sources", "[e2e][similar]") {
  auto completed = similar({"NCT09900001", "--status", "completed"});
  REQUIRE(!completed.empty());
  for (const auto& id : completed) {
    auto show = run_cli({"show", "--db", db(), "--json", id});
    CHECK(show.out.find("\"overall_status\":\"COMPLETED\"") != std::string::npos);
  }
}

TEST_CASE("--explain shows shared terms by group; --only restricts the groups", "[e2e][similar]") {
  auto r =
      run_cli({"similar", "--db", db(), "--json", "--explain", "--only", "drug", "NCT09900001"});
  REQUIRE(r.exit_code == 0);
  simdjson::dom::parser parser;
  auto doc = parser.parse(r.out);
  std::size_t shared = 0;
  for (auto hit : doc["results"].get_array()) {
    for (auto s : hit["shared"].get_array()) {
      CHECK(std::string_view(s["group"]) == "drug");
      CHECK(double(s["weight"]) > 0);
      ++shared;
    }
  }
  CHECK(shared > 0);
  for (auto t : doc["terms"].get_array()) CHECK(std::string_view(t["group"]) == "drug");
}

TEST_CASE("similar's terms are shown as the source spells them; stopwords and --drop stay out",
          "[e2e][similar]") {
  simdjson::dom::parser parser;
  auto terms_of = [&](std::vector<std::string> extra) {
    std::vector<std::string> args{"similar", "--db", db(), "--json", "--explain"};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back("NCT09900001");
    auto r = run_cli(args);
    REQUIRE(r.exit_code == 0);
    std::vector<std::pair<std::string, std::string>> out;  // (term, word)
    for (auto t : parser.parse(r.out)["terms"].get_array())
      out.emplace_back(std::string_view(t["term"]), std::string_view(t["word"]));
    return out;
  };
  auto terms = terms_of({});
  REQUIRE(!terms.empty());
  std::set<std::string> words;
  bool spelled = false;  // a term shown as a word of the record, longer than its stem
  for (const auto& [term, word] : terms) {
    words.insert(word);
    std::size_t start = term.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ");
    std::string bare = term.substr(start == std::string::npos ? term.size() : start);
    if (word != bare && word.starts_with(bare)) spelled = true;
  }
  CHECK(spelled);
  for (const char* stem : {"studi", "particip", "random", "patient", "clinic", "trial"})
    CHECK_FALSE(words.count(stem));
  // a word to leave out, spelled as in the record (the term is its stem)
  std::string dropped = *words.begin();
  for (const auto& [term, word] : terms_of({"--drop", dropped})) CHECK(word != dropped);
  // two words at once, comma-separated
  std::string second = *std::next(words.begin());
  for (const auto& [term, word] : terms_of({"--drop", dropped + "," + second})) {
    CHECK(word != dropped);
    CHECK(word != second);
  }
}

TEST_CASE("similar --explain: filters are not shared terms", "[e2e][similar]") {
  auto r = run_cli({"similar", "--db", db(), "--json", "--explain", "--status", "recruiting",
                    "--status", "not_yet_recruiting", "--status", "completed", "NCT09900001"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  simdjson::dom::parser parser;
  auto doc = parser.parse(r.out);
  REQUIRE(doc["results"].get_array().size() > 0);
  for (auto hit : doc["results"].get_array())
    for (auto t : hit["shared"].get_array()) {
      INFO(std::string_view(t["term"]));
      CHECK(std::string_view(t["group"]) != "");
      CHECK(double(t["weight"]) > 0);
    }
}

TEST_CASE("similar: unknown id exit 1, no ids exit 2, bad group exit 2", "[e2e][similar]") {
  auto unknown = run_cli({"similar", "--db", db(), "NCT00000000"});
  CHECK(unknown.exit_code == 1);
  CHECK(unknown.err.find("NCT00000000") != std::string::npos);
  CHECK(run_cli({"similar", "--db", db()}).exit_code == 2);
  CHECK(run_cli({"similar", "--db", db(), "-"}, "").exit_code == 2);
  CHECK(run_cli({"similar", "--db", db(), "--only", "colour", "NCT09900001"}).exit_code == 2);
}

TEST_CASE("similar: suggestions sharing a condition come first, unless --only drug",
          "[e2e][similar]") {
  // The source treats a condition with a drug; one trial shares only the drug (another disease),
  // one only the condition (no drug at all); one shares the description of its dosing only.
  const std::string kDosing = "one dose a day, as specified by the sponsor, with meals";
  auto study = [](const std::string& id, const std::string& title, const std::string& condition,
                  const std::string& type, const std::string& name,
                  const std::string& description = "") {
    return fmt::format(
        R"({{"protocolSection":{{"identificationModule":{{"nctId":"{}","briefTitle":"{}"}},)"
        R"("statusModule":{{"overallStatus":"RECRUITING"}},)"
        R"("conditionsModule":{{"conditions":["{}"]}},)"
        R"("armsInterventionsModule":{{"interventions":[{{"type":"{}","name":"{}",)"
        R"("description":"{}"}}]}}}}}})",
        id, title, condition, type, name, description);
  };
  test::TempDir dir;
  std::string db = (dir.path() / "db").string();
  std::string ndjson =
      study("NCT09800001", "Zorbatinib for Quellish syndrome", "Quellish Syndrome", "DRUG",
            "zorbatinib", kDosing) +
      "\n" +
      study("NCT09800002", "Zorbatinib in gastric cancer", "Gastric Cancer", "DRUG", "zorbatinib") +
      "\n" +
      study("NCT09800003", "Physiotherapy for Quellish syndrome", "Quellish Syndrome", "BEHAVIORAL",
            "exercise programme") +
      "\n" + study("NCT09800004", "Aspirin after stroke", "Stroke", "DRUG", "aspirin", kDosing) +
      "\n" +
      study("NCT09800005", "Insulin pumps in diabetes", "Diabetes", "DEVICE", "insulin pump") +
      "\n";
  REQUIRE(run_cli({"index", "-q", "--db", db, "-"}, ndjson).exit_code == 0);
  auto run = [&](std::vector<std::string> extra) {
    std::vector<std::string> args{"similar", "--db", db, "--json", "--explain"};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back("NCT09800001");
    auto r = run_cli(args);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    return std::string(r.out);
  };
  std::string out = run({});
  auto ids = ids_of(out);
  REQUIRE(ids.size() >= 2);
  CHECK(ids[0] == "NCT09800003");  // the same condition, no shared drug
  CHECK(ids[1] == "NCT09800002");  // the same drug, another condition
  simdjson::dom::parser parser;
  auto first = parser.parse(out)["results"].at(0);
  REQUIRE(first["same_conditions"].get_array().size() == 1);
  CHECK(std::string_view(first["same_conditions"].at(0)) == "Quellish Syndrome");
  // Only the drug's name is shared by drug: not the dosing words every description has.
  CHECK(ids_of(run({"--only", "drug"})) == std::vector<std::string>{"NCT09800002"});
}

TEST_CASE("similar --only mesh: a shared MeSH tree ancestor is not a shared topic",
          "[e2e][similar]") {
  auto study = [](const std::string& id, const std::string& mesh, const std::string& ancestor) {
    return fmt::format(
        R"({{"protocolSection":{{"identificationModule":{{"nctId":"{}","briefTitle":"Trial {}"}},)"
        R"("statusModule":{{"overallStatus":"RECRUITING"}}}},)"
        R"("derivedSection":{{"conditionBrowseModule":{{"meshes":[{{"id":"D1","term":"{}"}}],)"
        R"("ancestors":[{{"id":"D2","term":"{}"}}]}}}}}})",
        id, id, mesh, ancestor);
  };
  test::TempDir dir;
  std::string db = (dir.path() / "db").string();
  std::string ndjson = study("NCT09700001", "Thymoma", "Neoplasms by Histologic Type") + "\n" +
                       study("NCT09700002", "Thymoma", "Neoplasms, Glandular") + "\n" +
                       study("NCT09700003", "Osteosarcoma", "Neoplasms by Histologic Type") + "\n" +
                       study("NCT09700004", "Asthma", "Lung Diseases") + "\n";
  REQUIRE(run_cli({"index", "-q", "--db", db, "-"}, ndjson).exit_code == 0);
  auto r = run_cli({"similar", "--db", db, "--json", "--only", "mesh", "NCT09700001"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(ids_of(r.out) == std::vector<std::string>{"NCT09700002"});
}

TEST_CASE("a suggestion has a search hit's shape: the same keys, the same values",
          "[e2e][similar]") {
  auto suggested = run_cli({"similar", "--db", db(), "--json", "NCT09900001"});
  REQUIRE(suggested.exit_code == 0);
  simdjson::dom::parser similar_parser, search_parser;
  simdjson::dom::element first = similar_parser.parse(suggested.out)["results"].at(0);
  const std::string id{std::string_view(first["nct_id"])};
  auto found = run_cli({"search", "--db", db(), "--json", "id:" + id});
  REQUIRE(found.exit_code == 0);
  simdjson::dom::element hit = search_parser.parse(found.out)["results"].at(0);
  // what only a search hit has (its percent, snippet, explain) and only a whole record has
  const std::set<std::string_view> own{"percent", "snippet", "explain",
                                       "rank",    "score",   "condition_mesh"};
  std::size_t compared = 0;
  for (auto [key, value] : hit.get_object()) {
    if (own.count(key)) continue;
    INFO(key);
    simdjson::dom::element theirs;
    REQUIRE(first[key].get(theirs) == simdjson::SUCCESS);
    CHECK(simdjson::to_string(theirs) == simdjson::to_string(value));
    ++compared;
  }
  CHECK(compared >= 10);  // nct_id, title, status, phases, study_type, conditions, ...
}
