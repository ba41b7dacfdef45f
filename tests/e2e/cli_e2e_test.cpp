// The real binary on the bundled corpus: indexing, the drug-code and synonym equivalences,
// filters, output formats and exit codes, checked through --json.
#include <simdjson.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <set>

#include "tests/support/test_support.hpp"

using namespace trialsearch;
using test::run_cli;

namespace {

// A database of the bundled corpus, built once for the whole run.
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

std::vector<std::string> result_ids(const std::string& json) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc = parser.parse(json);
  std::vector<std::string> ids;
  for (auto hit : doc["results"].get_array()) ids.emplace_back(std::string_view(hit["nct_id"]));
  return ids;
}

std::vector<std::string> search_ids(std::vector<std::string> args) {
  args.insert(args.begin(), {"search", "--db", corpus_db(), "--json", "--limit", "50"});
  auto r = run_cli(args);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return result_ids(r.out);
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

TEST_CASE("index --json reports what it did; a re-run changes nothing", "[e2e][index]") {
  test::TempDir dir;
  std::string db = (dir.path() / "db").string();
  auto first = run_cli({"index", "--db", db, "--json", test::corpus_dir().string()});
  REQUIRE(first.exit_code == 0);
  simdjson::dom::parser parser;
  auto s = parser.parse(first.out);
  CHECK(uint64_t(s["read"]) == 11);
  CHECK(uint64_t(s["added"]) == 11);
  CHECK(uint64_t(s["skipped"]) == 0);
  auto second = run_cli({"index", "--db", db, "--json", test::corpus_dir().string()});
  REQUIRE(second.exit_code == 0);
  auto s2 = parser.parse(second.out);
  CHECK(uint64_t(s2["unchanged"]) == 11);
  CHECK(uint64_t(s2["added"]) == 0);
  CHECK(uint64_t(s2["documents"]) == 11);
}

TEST_CASE("a malformed record is skipped with its file and line; exit 4", "[e2e][index]") {
  test::TempDir dir;
  auto src = dir.path() / "mixed.jsonl";
  std::string good = test::read_file(test::corpus_dir() / "json" / "studies.jsonl");
  std::ofstream(src) << good.substr(0, good.find('\n') + 1) << "{\"protocolSection\": {\n";
  auto r = run_cli({"index", "--db", (dir.path() / "db").string(), src.string()});
  CHECK(r.exit_code == 4);
  CHECK(r.err.find("mixed.jsonl:line 2") != std::string::npos);
  auto stats = run_cli({"stats", "--db", (dir.path() / "db").string(), "--json"});
  REQUIRE(stats.exit_code == 0);
  simdjson::dom::parser parser;
  CHECK(uint64_t(parser.parse(stats.out)["documents"]) == 1);
}

TEST_CASE("index - reads NDJSON from standard input", "[e2e][index]") {
  test::TempDir dir;
  std::string ndjson = test::read_file(test::corpus_dir() / "json" / "studies.jsonl");
  auto r = run_cli({"index", "--db", (dir.path() / "db").string(), "--json", "-"}, ndjson);
  REQUIRE(r.exit_code == 0);
  simdjson::dom::parser parser;
  CHECK(uint64_t(parser.parse(r.out)["added"]) == 3);
}

TEST_CASE("libarchive is loaded only to read a zip, and then reads it", "[e2e][index]") {
  // LD_DEBUG=files makes the dynamic loader name every library it loads on stderr.
  auto search =
      run_cli({"search", "--db", corpus_db(), "--ids", "belimumab"}, {}, {"LD_DEBUG=files"});
  REQUIRE(search.exit_code == 0);
  CHECK(search.err.find("libxapian") != std::string::npos);  // the trace is there
  CHECK(search.err.find("libarchive") == std::string::npos);

  test::TempDir dir;
  auto zip = dir.path() / "studies.zip";
  test::write_zip(
      zip, {{"studies.jsonl", test::read_file(test::corpus_dir() / "json" / "studies.jsonl")}});
  auto index = run_cli({"index", "--db", (dir.path() / "db").string(), "--json", zip.string()}, {},
                       {"LD_DEBUG=files"});
  REQUIRE(index.exit_code == 0);
  CHECK(index.err.find("libarchive") != std::string::npos);
  simdjson::dom::parser parser;
  CHECK(uint64_t(parser.parse(index.out)["added"]) == 3);
}

TEST_CASE("every spelling of a drug code finds the same trials, aliases included",
          "[e2e][search]") {
  auto base = search_ids({"CC-97540"});
  CHECK(contains(base, "NCT05869955"));
  CHECK(contains(base, "NCT09900003"));  // names only BMS-986353: linked through NCT05869955
  for (const std::string q : {"cc97540", "CC 97540", "CC\u201197540", "drug:CC-97540"}) {
    INFO(q);
    auto ids = search_ids({q});
    CHECK(std::set<std::string>(ids.begin(), ids.end()) ==
          std::set<std::string>(base.begin(), base.end()));
  }
  auto bms = search_ids({"BMS-986353"});
  CHECK(contains(bms, "NCT05869955"));
}

TEST_CASE("--explain: the parsed query, and per hit the fields, words and aliases that matched",
          "[e2e][search]") {
  auto r = run_cli(
      {"search", "--db", corpus_db(), "--json", "--explain", "--limit", "50", "BMS-986353"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  simdjson::dom::parser parser;
  simdjson::dom::element doc = parser.parse(r.out);
  CHECK(std::string_view(doc["parsed"]).find("bms986353") != std::string_view::npos);
  bool alias_shown = false;
  for (auto hit : doc["results"].get_array()) {
    if (std::string_view(hit["nct_id"]) != "NCT05869955") continue;
    // the trial names CC-97540 only: it matched through the alias its own record links
    for (auto m : hit["explain"].get_array()) {
      std::string_view via;
      if (m["via"].get(via) == simdjson::SUCCESS && via.find("alias of bms986353") == 0 &&
          via.find("via NCT05869955") != std::string_view::npos)
        alias_shown = true;
    }
  }
  CHECK(alias_shown);

  // a word is shown as typed, beside the stem the index holds
  r = run_cli({"search", "--db", corpus_db(), "--json", "--explain", "--limit", "1", "nephritis"});
  REQUIRE(r.exit_code == 0);
  doc = parser.parse(r.out);
  bool word_shown = false;
  for (auto m : doc["results"].at(0)["explain"].get_array())
    if (std::string_view(m["word"]) == "nephritis" &&
        std::string_view(m["term"]).ends_with("nephriti"))
      word_shown = true;
  CHECK(word_shown);
}

TEST_CASE("brand and generic names find each other", "[e2e][search]") {
  auto benlysta = search_ids({"Benlysta"});
  CHECK(contains(benlysta, "NCT09900001"));  // belimumab, with Benlysta as other name
  CHECK(contains(benlysta, "NCT05585671"));  // a page that says belimumab only
  // the curated lexicon: Plaquenil = hydroxychloroquine, named only in eligibility criteria
  CHECK(contains(search_ids({"Plaquenil"}), "NCT05585671"));
  auto saphnelo = search_ids({"saphnelo"});
  CHECK(contains(saphnelo, "NCT09900005"));
}

TEST_CASE("--aliases on|strict|off: how far a drug name reaches", "[e2e][search][aliases]") {
  // Benlysta = belimumab is a curated lexicon entry: on and strict; off finds the name only
  CHECK(contains(search_ids({"Benlysta", "--aliases", "strict"}), "NCT05585671"));
  CHECK(contains(search_ids({"Benlysta", "--aliases", "on"}), "NCT05585671"));
  CHECK(!contains(search_ids({"Benlysta", "--aliases", "off"}), "NCT05585671"));
  // CC-97540 = BMS-986353: two codes one record names together, strict too
  CHECK(contains(search_ids({"BMS-986353", "--aliases", "strict"}), "NCT05869955"));
  auto r = run_cli({"search", "--db", corpus_db(), "--aliases", "sometimes", "lupus"});
  CHECK(r.exit_code == 2);
}

TEST_CASE("placebo, controls and stopwords have no aliases", "[e2e][aliases]") {
  for (const char* name : {"placebo", "and", "control", "standard of care"}) {
    auto r = run_cli({"aliases", "--db", corpus_db(), "--json", name});
    INFO(name << ": " << r.out);
    REQUIRE(r.exit_code == 0);
    simdjson::dom::parser parser;
    auto doc = parser.parse(r.out);
    CHECK(doc["aliases"].get_array().size() == 0);
  }
}

TEST_CASE("accents fold: Wurzburg finds Würzburg, Sao Paulo finds São Paulo", "[e2e][search]") {
  CHECK(search_ids({"Wurzburg"}) == search_ids({"Würzburg"}));
  CHECK(!search_ids({"Wurzburg"}).empty());
  CHECK(contains(search_ids({"city:\"Sao Paulo\""}), "NCT09900002"));
}

TEST_CASE("filters restrict results", "[e2e][search]") {
  for (const auto& id : search_ids({"lupus", "--status", "recruiting"})) {
    auto show = run_cli({"show", "--db", corpus_db(), "--json", id});
    REQUIRE(show.exit_code == 0);
    CHECK(show.out.find("\"overall_status\":\"RECRUITING\"") != std::string::npos);
  }
  CHECK(search_ids({"status:\"not yet recruiting\" lupus"}) ==
        search_ids({"lupus", "--status", "not yet recruiting"}));
  auto phase23 = search_ids({"phase:2", "lupus"});
  CHECK(contains(phase23, "NCT09900001"));
  CHECK_FALSE(contains(phase23, "NCT05869955"));
  CHECK(contains(search_ids({"lupus", "--age", "16"}), "NCT07175285"));
  // a filter flag takes one value: the words after it are the query
  CHECK(search_ids({"--status", "recruiting", "lupus"}) ==
        search_ids({"lupus", "--status", "recruiting"}));
}

TEST_CASE("an NCT id typed as the query comes first", "[e2e][search]") {
  auto ids = search_ids({"NCT05869955"});
  REQUIRE(!ids.empty());
  CHECK(ids.front() == "NCT05869955");
}

TEST_CASE("output formats: --ids, --csv, --jsonl", "[e2e][search]") {
  auto ids = run_cli({"search", "--db", corpus_db(), "--ids", "lupus"});
  REQUIRE(ids.exit_code == 0);
  CHECK(ids.out.find("NCT") == 0);
  CHECK(ids.out.find(' ') == std::string::npos);
  // --ids reads only the id terms: the same trials in the same order as the full results
  for (const std::string q : {"lupus", "cancer OR lupus", "belimumab", "NCT05869955"}) {
    INFO(q);
    auto listed = run_cli({"search", "--db", corpus_db(), "--ids", "--limit", "50", q});
    REQUIRE(listed.exit_code == 0);
    std::vector<std::string> lines;
    for (std::size_t start = 0; start < listed.out.size();) {
      auto end = listed.out.find('\n', start);
      lines.push_back(listed.out.substr(start, end - start));
      start = end + 1;
    }
    auto expected = search_ids({q});
    CHECK(!expected.empty());
    CHECK(lines == expected);
  }
  auto csv = run_cli({"search", "--db", corpus_db(), "--csv", "lupus"});
  CHECK(csv.out.rfind("rank,nct_id,", 0) == 0);
  auto jsonl = run_cli({"search", "--db", corpus_db(), "--jsonl", "--limit", "3", "lupus"});
  simdjson::dom::parser parser;
  std::size_t lines = 0;
  for (std::size_t start = 0; start < jsonl.out.size();) {
    auto end = jsonl.out.find('\n', start);
    CHECK(parser.parse(jsonl.out.substr(start, end - start)).error() == simdjson::SUCCESS);
    ++lines;
    start = end + 1;
  }
  CHECK(lines == 3);
}

TEST_CASE("exit codes: zero hits 0, syntax error 2, missing database 1, unknown id 1",
          "[e2e][errors]") {
  auto none = run_cli({"search", "--db", corpus_db(), "--json", "xyzzyplugh"});
  CHECK(none.exit_code == 0);
  auto syntax = run_cli({"search", "--db", corpus_db(), "lupus AND"});
  CHECK(syntax.exit_code == 2);
  CHECK(std::count(syntax.err.begin(), syntax.err.end(), '\n') == 1);
  // a misspelt filter value is refused with the values it can take, not answered with 0 hits
  for (std::vector<std::string> args :
       {std::vector<std::string>{"status:recruting"},
        std::vector<std::string>{"--status", "recruting", "lupus"}}) {
    std::vector<std::string> cmd{"search", "--db", corpus_db()};
    cmd.insert(cmd.end(), args.begin(), args.end());
    auto misspelt_value = run_cli(cmd);
    CHECK(misspelt_value.exit_code == 2);
    CHECK(misspelt_value.err.find("unknown status 'recruting'") != std::string::npos);
    CHECK(misspelt_value.err.find("not_yet_recruiting") != std::string::npos);
    CHECK(std::count(misspelt_value.err.begin(), misspelt_value.err.end(), '\n') == 1);
  }
  test::TempDir dir;
  auto missing = run_cli({"search", "--db", (dir.path() / "nothing").string(), "lupus"});
  CHECK(missing.exit_code == 1);
  CHECK(missing.err.find("trialsearch index") != std::string::npos);
  auto unknown = run_cli({"show", "--db", corpus_db(), "NCT00000000"});
  CHECK(unknown.exit_code == 1);
  auto bad_option = run_cli({"search", "--db", corpus_db(), "--sort", "sideways", "lupus"});
  CHECK(bad_option.exit_code == 2);
  auto misspelt = run_cli({"serch", "lupus"});
  CHECK(misspelt.exit_code == 2);
  CHECK(misspelt.err.find("unknown command 'serch'") != std::string::npos);
  CHECK(misspelt.err.find("search") != std::string::npos);
  CHECK(std::count(misspelt.err.begin(), misspelt.err.end(), '\n') == 1);
  auto no_command = run_cli({});
  CHECK(no_command.exit_code == 2);
  CHECK(no_command.err.find("a command is required") != std::string::npos);
  CHECK(no_command.err.find("search") != std::string::npos);
  CHECK(std::count(no_command.err.begin(), no_command.err.end(), '\n') == 1);
}

TEST_CASE("the database comes from --db, else $TRIALSEARCH_DB", "[e2e][db]") {
  auto r = run_cli({"stats", "--json"}, {}, {"TRIALSEARCH_DB=" + corpus_db()});
  REQUIRE(r.exit_code == 0);
  simdjson::dom::parser parser;
  CHECK(uint64_t(parser.parse(r.out)["documents"]) == 11);
}

TEST_CASE("record text never injects terminal escapes", "[e2e][output]") {
  test::TempDir dir;
  auto src = dir.path() / "evil.json";
  std::ofstream(src) << R"({"protocolSection":{"identificationModule":{"nctId":"NCT09999999",)"
                     << R"("briefTitle":"Evil \u001b[31mred\u001b[0m title"}}})";
  std::string db = (dir.path() / "db").string();
  REQUIRE(run_cli({"index", "--db", db, src.string()}).exit_code == 0);
  // the trial is found and its title shown, with the escape made a space
  auto human = run_cli({"search", "--db", db, "evil"});
  REQUIRE(human.exit_code == 0);
  CHECK(human.out.find("Evil  [31mred [0m title") != std::string::npos);
  CHECK(human.out.find('\x1b') == std::string::npos);
  auto show = run_cli({"show", "--db", db, "NCT09999999"});
  REQUIRE(show.exit_code == 0);
  CHECK(show.out.find("Evil  [31mred [0m title") != std::string::npos);
  CHECK(show.out.find('\x1b') == std::string::npos);
}

TEST_CASE("a trial without a brief title is listed by its official title, else as untitled",
          "[e2e][output]") {
  test::TempDir dir;
  auto src = dir.path() / "titles.jsonl";
  std::ofstream(src) << R"({"protocolSection":{"identificationModule":{"nctId":"NCT09999991",)"
                     << R"("officialTitle":"Official Zanubrutinib Protocol"}}})"
                     << "\n"
                     << R"({"protocolSection":{"identificationModule":{"nctId":"NCT09999992"},)"
                     << R"("conditionsModule":{"conditions":["Zanubrutinib responders"]}}})"
                     << "\n";
  std::string db = (dir.path() / "db").string();
  REQUIRE(run_cli({"index", "--db", db, src.string()}).exit_code == 0);
  auto list = run_cli({"search", "--db", db, "zanubrutinib"});
  REQUIRE(list.exit_code == 0);
  CHECK(list.out.find("NCT09999991  -  -  Official Zanubrutinib Protocol") != std::string::npos);
  CHECK(list.out.find("NCT09999992  -  -  (no title)") != std::string::npos);
  auto show = run_cli({"show", "--db", db, "NCT09999992"});
  CHECK(show.out.find("NCT09999992  (no title)") != std::string::npos);
}

TEST_CASE("aliases NAME says which trial or lexicon links two names", "[e2e][aliases]") {
  auto r = run_cli({"aliases", "--db", corpus_db(), "--json", "BMS-986353"});
  REQUIRE(r.exit_code == 0);
  simdjson::dom::parser parser;
  auto doc = parser.parse(r.out);
  bool found = false;
  for (auto a : doc["aliases"].get_array()) {
    if (std::string_view(a["alias"]) != "cc97540") continue;
    found = true;
    auto step = a["path"].at(0);
    CHECK(std::string_view(step["provenance"].at(0)) == "NCT05869955");
  }
  CHECK(found);
}

TEST_CASE("did you mean, and facets counted over the whole match set", "[e2e][search]") {
  simdjson::dom::parser parser;
  auto miss = run_cli({"search", "--db", corpus_db(), "--json", "lupsu"});
  REQUIRE(miss.exit_code == 0);
  CHECK(std::string_view(parser.parse(miss.out)["did_you_mean"]) == "lupus");

  auto r = run_cli({"search", "--db", corpus_db(), "--json", "--limit", "1", "--facets",
                    "status,phase", "lupus"});
  REQUIRE(r.exit_code == 0);
  auto doc = parser.parse(r.out);
  std::uint64_t total = doc["total"];
  std::uint64_t by_status = 0;
  for (auto c : doc["facets"]["status"].get_array()) {
    std::uint64_t n = c["count"];
    by_status += n;
    // each count equals the size of the filtered search
    std::string value{std::string_view(c["value"])};
    CHECK(search_ids({"lupus", "--status", value}).size() == n);
  }
  CHECK(by_status == total);  // one status per trial
  for (auto c : doc["facets"]["phase"].get_array()) {
    std::string value{std::string_view(c["value"])};
    CHECK(search_ids({"lupus phase:" + value.substr(5)}).size() == std::uint64_t(c["count"]));
  }
  // Several words: the ranked page may come from the all-words tier alone; the counts (and the
  // total) still cover every match, partial ones included.
  r = run_cli({"search", "--db", corpus_db(), "--json", "--limit", "1", "--facets", "status",
               "lupus nephritis"});
  REQUIRE(r.exit_code == 0);
  doc = parser.parse(r.out);
  std::uint64_t all_matches = doc["total"];
  CHECK(all_matches == search_ids({"lupus nephritis"}).size());
  CHECK(all_matches > search_ids({"lupus nephritis", "--match", "all"}).size());
  by_status = 0;
  for (auto c : doc["facets"]["status"].get_array()) by_status += std::uint64_t(c["count"]);
  CHECK(by_status == all_matches);
}
