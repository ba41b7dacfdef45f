// The writer: upserts, idempotent re-runs, alias harvesting, schema refusal, locking, and a
// randomized add/replace sequence checked against a simple model.
#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <random>

#include "analyzers/alias_graph.hpp"
#include "analyzers/db_metadata.hpp"
#include "analyzers/errors.hpp"
#include "indexer/index_writer.hpp"
#include "indexer/synonym_table.hpp"
#include "query/record_lookup.hpp"
#include "query/trial_database.hpp"
#include "tests/support/test_support.hpp"

using namespace trialsearch;

namespace {

// One API v2 study as NDJSON.
std::string study(const std::string& id, const std::string& title,
                  const std::string& drug = "placebo",
                  const std::vector<std::string>& other_names = {}) {
  return test::study_json(id, title, drug, other_names);
}

std::string write_file(const test::TempDir& dir, const std::string& name,
                       const std::string& content) {
  auto path = dir.path() / name;
  std::ofstream(path) << content;
  return path.string();
}

IndexSummary index(const std::string& db, const std::vector<std::string>& sources) {
  IndexOptions o;
  o.db_path = db;
  o.threads = 2;
  return index_sources(sources, o, {});
}

}  // namespace

TEST_CASE("re-indexing the same sources leaves the same database", "[indexer][writer]") {
  test::TempDir dir;
  std::string db = (dir.path() / "db").string();
  std::string src = write_file(
      dir, "a.jsonl",
      study("NCT00000001", "Lupus one") + "\n" + study("NCT00000002", "Lupus two") + "\n");
  auto first = index(db, {src});
  CHECK(first.read == 2);
  CHECK(first.added == 2);
  CHECK(first.documents == 2);
  auto second = index(db, {src});
  CHECK(second.added == 0);
  CHECK(second.replaced == 0);
  CHECK(second.unchanged == 2);
  CHECK(second.documents == 2);

  std::string changed =
      write_file(dir, "b.jsonl", study("NCT00000002", "Lupus two, amended") + "\n");
  auto third = index(db, {changed});
  CHECK(third.replaced == 1);
  CHECK(third.documents == 2);
  auto t = find_trial(open_database(db), "NCT00000002");
  REQUIRE(t);
  CHECK(t->brief_title == "Lupus two, amended");
}

TEST_CASE("bad records are skipped and counted, the rest goes in", "[indexer][writer]") {
  test::TempDir dir;
  std::string db = (dir.path() / "db").string();
  std::string src = write_file(dir, "a.jsonl",
                               study("NCT00000001", "ok") + "\n{\"protocolSection\": \n" +
                                   study("NCT00000003", "ok too") + "\n");
  std::vector<std::string> messages;
  IndexOptions o;
  o.db_path = db;
  IndexCallbacks cb;
  cb.skipped = [&](std::string_view m) { messages.emplace_back(m); };
  auto s = index_sources({src}, o, cb);
  CHECK(s.added == 2);
  CHECK(s.skipped == 1);
  REQUIRE(messages.size() == 1);
  CHECK(messages[0].find("a.jsonl:line 2") != std::string::npos);
}

TEST_CASE("aliases are harvested across records and kept with their provenance",
          "[indexer][aliases]") {
  test::TempDir dir;
  std::string db = (dir.path() / "db").string();
  std::string src = write_file(dir, "a.jsonl",
                               study("NCT05869955", "CAR T in lupus", "CC-97540", {"BMS-986353"}) +
                                   "\n" + study("NCT00000009", "Another", "BMS-986353") + "\n");
  index(db, {src});
  Xapian::Database rdb = open_database(db);
  AliasGraph graph = load_alias_graph(rdb);
  auto group = graph.group("CC-97540");
  CHECK(std::find(group.begin(), group.end(), "bms986353") != group.end());
  auto steps = graph.explain("cc97540", "bms986353");
  REQUIRE(steps.size() == 1);
  CHECK(steps[0].provenances == std::vector<std::string>{"NCT05869955"});
  // the synonym table expands the code to the alias
  std::vector<std::string> syn{rdb.synonyms_begin("cc97540"), rdb.synonyms_end("cc97540")};
  CHECK(std::find(syn.begin(), syn.end(), "bms986353") != syn.end());
  // curated lexicon: benlysta = belimumab is known even before any trial mentions it
  auto reach = load_alias_expander(rdb).expand("benlysta", AliasMode::Strict);
  CHECK(std::any_of(reach.begin(), reach.end(),
                    [](const AliasReach& r) { return r.key == "belimumab"; }));

  // the trial is re-indexed without its other name: the link goes with it
  std::string changed =
      write_file(dir, "b.jsonl", study("NCT05869955", "CAR T in lupus", "CC-97540") + "\n");
  index(db, {changed});
  graph = load_alias_graph(open_database(db));
  CHECK(graph.explain("cc97540", "bms986353").empty());
}

TEST_CASE("a database of another schema version is refused", "[indexer][schema]") {
  test::TempDir dir;
  std::string db = (dir.path() / "db").string();
  std::string src = write_file(dir, "a.jsonl", study("NCT00000001", "x") + "\n");
  index(db, {src});
  {
    Xapian::WritableDatabase w(db, Xapian::DB_OPEN);
    w.set_metadata(std::string(kMetaSchema), "trialsearch-schema-0");
    w.commit();
  }
  CHECK_THROWS_WITH(open_database(db), Catch::Contains("index --snapshot"));
  CHECK_THROWS_AS(index(db, {src}), RuntimeError);
  // as the message says, a snapshot rebuilds it in place
  IndexOptions o;
  o.db_path = db;
  o.threads = 2;
  o.snapshot = true;
  index_sources({src}, o, {});
  CHECK(open_database(db).get_doccount() == 1);
}

TEST_CASE("a second writer is refused at once", "[indexer][lock]") {
  test::TempDir dir;
  std::string db = (dir.path() / "db").string();
  Xapian::WritableDatabase holder(db, Xapian::DB_CREATE_OR_OPEN);
  std::string src = write_file(dir, "a.jsonl", study("NCT00000001", "x") + "\n");
  CHECK_THROWS_AS(index(db, {src}), LockedError);
}

TEST_CASE("randomized add/replace sequences match a simple model", "[indexer][writer][model]") {
  std::mt19937 rng(12345);
  test::TempDir dir;
  std::string db = (dir.path() / "db").string();
  std::map<std::string, std::string> model;  // id -> title
  for (int round = 0; round < 6; ++round) {
    std::string batch;
    std::map<std::string, std::string> batch_last;
    int n = 1 + static_cast<int>(rng() % 20);
    for (int i = 0; i < n; ++i) {
      std::string id = "NCT" + std::string(7, '0') + std::to_string(rng() % 10);
      std::string title = "title " + std::to_string(rng() % 4);
      batch += study(id, title) + "\n";
      batch_last[id] = title;
    }
    std::uint64_t expect_added = 0;
    for (const auto& [id, title] : batch_last) expect_added += model.count(id) ? 0 : 1;
    std::string src = write_file(dir, "r" + std::to_string(round) + ".jsonl", batch);
    auto s = index(db, {src});
    for (const auto& [id, title] : batch_last) model[id] = title;
    INFO("round " << round);
    CHECK(s.read == static_cast<std::uint64_t>(n));
    CHECK(s.added == expect_added);
    CHECK(s.added + s.replaced + s.unchanged + s.duplicates == s.read);
    CHECK(s.documents == model.size());
    Xapian::Database rdb = open_database(db);
    for (const auto& [id, title] : model) {
      auto t = find_trial(rdb, id);
      REQUIRE(t);
      CHECK(t->brief_title == title);
    }
  }
}

TEST_CASE("progress reports the share of the sources consumed, for an ETA", "[indexer][progress]") {
  test::TempDir dir;
  std::string src = write_file(
      dir, "a.jsonl",
      study("NCT00000001", "Lupus one") + "\n" + study("NCT00000002", "Lupus two") + "\n");
  auto zip = dir.path() / "b.zip";
  test::write_zip(zip, {{"NCT00000003.json", study("NCT00000003", "Lupus three")}});
  const std::uint64_t total = std::filesystem::file_size(src) + std::filesystem::file_size(zip);
  for (bool existing : {false, true}) {
    INFO((existing ? "update" : "new database"));
    IndexOptions o;
    o.db_path = (dir.path() / "db").string();
    std::vector<IndexProgress> seen;
    IndexCallbacks callbacks;
    callbacks.progress = [&](const IndexProgress& p) { seen.push_back(p); };
    index_sources({src, zip.string()}, o, callbacks);
    REQUIRE_FALSE(seen.empty());
    CHECK(seen.back().bytes_total == total);
    CHECK(seen.back().bytes_done > std::filesystem::file_size(src));
    CHECK(seen.back().bytes_done <= total);
    CHECK(seen.back().records == 3);
  }
  IndexOptions o;
  o.db_path = (dir.path() / "db").string();
  std::vector<IndexProgress> seen;
  IndexCallbacks callbacks;
  callbacks.progress = [&](const IndexProgress& p) { seen.push_back(p); };
  index_sources({"-"}, o, callbacks);  // standard input: size unknown, no ETA
  REQUIRE_FALSE(seen.empty());
  CHECK(seen.back().bytes_total == 0);
}
