// Nothing lost, nothing run, nothing hung: the real binary on damaged inputs, damaged or hostile
// database folders, inputs over Xapian's limits, huge queries and a full disk. Every input is
// built here, in a temporary folder.
#include <sys/mount.h>
#include <unistd.h>

#include <simdjson.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>

#include "tests/support/test_support.hpp"

using namespace trialsearch;
using test::run_cli;
namespace fs = std::filesystem;

namespace {

std::string study_id(int i) {
  char id[16];
  std::snprintf(id, sizeof id, "NCT%08d", i);
  return id;
}

// NDJSON of studies first..last, one a line.
std::string studies(int first, int last) {
  std::string out;
  for (int i = first; i <= last; ++i)
    out += test::study_json(study_id(i), "Lupus nephritis trial " + std::to_string(i)) + "\n";
  return out;
}

std::string write(const fs::path& path, const std::string& content) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << content;
  return path.string();
}

std::uint64_t json_count(const std::string& json, std::string_view key) {
  simdjson::dom::parser parser;
  return std::uint64_t(parser.parse(json)[key]);
}

std::uint64_t documents(const std::string& db) {
  auto r = run_cli({"stats", "--db", db, "--json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return json_count(r.out, "documents");
}

bool contains(const std::string& s, std::string_view part) {
  return s.find(part) != std::string::npos;
}

// A database of studies 1..n in `dir`/db, built by the binary.
std::string make_db(const test::TempDir& dir, int n) {
  std::string db = (dir.path() / "db").string();
  auto r = run_cli({"index", "-q", "--db", db, write(dir.path() / "v1.jsonl", studies(1, n))});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return db;
}

}  // namespace

// ---- terms over Xapian's limits never abort a run ----

TEST_CASE("words, names and countries over Xapian's term limits are indexed, not fatal",
          "[e2e][index][limits]") {
  test::TempDir dir;
  const std::string long_word(300, 'a');
  const std::string long_name = "drug " + std::string(290, 'x');
  std::string lines = test::study_json("NCT00000001", "Title " + long_word + " lupus") + "\n" +
                      test::study_json("NCT00000002", "Lupus trial", long_name) + "\n";
  std::string country_study =
      R"({"protocolSection":{"identificationModule":{"nctId":"NCT00000003","briefTitle":"Lupus"},)"
      R"("contactsLocationsModule":{"locations":[{"facility":"F","city":"C","country":")" +
      std::string(300, 'q') + R"("}]}}})";
  lines += country_study + "\n" + studies(4, 6);
  std::string db = (dir.path() / "db").string();
  std::string src = write(dir.path() / "long.jsonl", lines);
  auto r = run_cli({"index", "--db", db, "--json", src});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(documents(db) == 6);
  // The update path too (the shard builder built the first generation).
  auto again = run_cli({"index", "--db", (dir.path() / "flat").string(), "--json",
                        write(dir.path() / "first.jsonl", studies(10, 11))});
  REQUIRE(again.exit_code == 0);
  auto upsert = run_cli({"index", "--db", (dir.path() / "flat").string(), "--json", src});
  INFO(upsert.err);
  CHECK(upsert.exit_code == 0);
  CHECK(documents((dir.path() / "flat").string()) == 8);
  auto found = run_cli({"search", "--db", db, "--ids", "lupus"});
  CHECK(found.exit_code == 0);
  CHECK(contains(found.out, "NCT00000002"));
}

// ---- --lexicon takes one file ----

TEST_CASE("--lexicon FILE SOURCE: the source is a source, not a second lexicon",
          "[e2e][index][lexicon]") {
  test::TempDir dir;
  std::string lexicon = write(dir.path() / "aliases.tsv", "zorblimab\tZB-1234\n");
  std::string src = write(dir.path() / "s.jsonl", studies(1, 3));
  std::string src2 = write(dir.path() / "s2.jsonl", studies(4, 6));
  auto r = run_cli(
      {"index", "--json", "--lexicon", lexicon, src, src2, "--db", (dir.path() / "db").string()});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(json_count(r.out, "inputs") == 2);
  CHECK(json_count(r.out, "documents") == 6);
  // repeated, each --lexicon takes its one file
  auto two = run_cli({"index", "--json", "--db", (dir.path() / "db2").string(), "--lexicon",
                      lexicon, "--lexicon", lexicon, src, src2});
  INFO(two.err);
  CHECK(two.exit_code == 0);
  CHECK(json_count(two.out, "inputs") == 2);
}
