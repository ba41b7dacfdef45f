// Generations and snapshots: the stub switch, pruning, the change log, refusals that leave the
// live generation untouched, the one-writer lock, and readers searching through switches.
#include <catch2/catch.hpp>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "analyzers/errors.hpp"
#include "indexer/change_log.hpp"
#include "indexer/generations.hpp"
#include "indexer/index_writer.hpp"
#include "query/record_lookup.hpp"
#include "query/searcher.hpp"
#include "query/trial_database.hpp"
#include "tests/support/test_support.hpp"

using namespace trialsearch;
namespace fs = std::filesystem;

namespace {

std::string ndjson(const test::TempDir& dir, const std::string& name,
                   const std::vector<std::string>& studies) {
  auto path = dir.path() / name;
  std::ofstream out(path);
  for (const auto& s : studies) out << s << "\n";
  return path.string();
}

IndexSummary run(const std::string& db, const std::vector<std::string>& sources,
                 bool snapshot = false, unsigned keep = 1, double max_removed = 0.5) {
  IndexOptions o;
  o.db_path = db;
  o.threads = 2;
  o.snapshot = snapshot;
  o.keep = keep;
  o.max_removed_share = max_removed;
  return index_sources(sources, o, {});
}

std::vector<std::string> study_set(int n, const std::string& status = "RECRUITING") {
  std::vector<std::string> out;
  for (int i = 1; i <= n; ++i) {
    char id[16];
    std::snprintf(id, sizeof id, "NCT%08d", i);
    out.push_back(
        test::study_json(id, "Lupus trial " + std::to_string(i), "belimumab", {}, status));
  }
  return out;
}

std::uint64_t doc_count(const std::string& db) { return open_database(db).get_doccount(); }

}  // namespace

TEST_CASE("a new database is generation 1 behind a stub that Xapian follows", "[generations]") {
  test::TempDir dir;
  std::string db = (dir.path() / "db").string();
  auto s = run(db, {ndjson(dir, "a.jsonl", study_set(3))});
  CHECK(s.generation == "gen-000001");
  CHECK(layout_of(db) == DbLayout::Generations);
  CHECK(live_generation(db) == "gen-000001");
  CHECK(doc_count(db) == 3);
  auto log = read_changes(db);
  REQUIRE(log.size() == 1);
  CHECK(log[0].mode == "initial");
  CHECK(log[0].added_count == 3);
  CHECK(log[0].added.empty());  // an initial build lists no ids: every trial is new
}

TEST_CASE("a snapshot adds, replaces, removes, logs status changes and keeps one generation",
          "[generations][snapshot]") {
  test::TempDir dir;
  std::string db = (dir.path() / "db").string();
  auto v1 = study_set(4);
  run(db, {ndjson(dir, "v1.jsonl", v1)});

  // Day 2: trial 4 gone, trial 2 no longer recruiting, trial 5 new.
  auto v2 = study_set(3);
  v2[1] =
      test::study_json("NCT00000002", "Lupus trial 2", "belimumab", {}, "ACTIVE_NOT_RECRUITING");
  v2.push_back(test::study_json("NCT00000005", "Lupus trial 5"));
  auto s = run(db, {ndjson(dir, "v2.jsonl", v2)}, true);
  CHECK(s.generation == "gen-000002");
  CHECK(s.added == 1);
  CHECK(s.removed == 1);
  CHECK(s.replaced == 1);
  CHECK(s.unchanged == 2);
  CHECK(s.status_changes == 1);
  CHECK(doc_count(db) == 4);
  CHECK_FALSE(find_trial(open_database(db), "NCT00000004"));
  CHECK(find_trial(open_database(db), "NCT00000005"));

  auto log = read_changes(db);
  REQUIRE(log.size() == 2);
  const auto& c = log[1];
  CHECK(c.mode == "snapshot");
  CHECK(c.generation == "gen-000002");
  CHECK(c.added == std::vector<std::string>{"NCT00000005"});
  CHECK(c.removed == std::vector<std::string>{"NCT00000004"});
  REQUIRE(c.status_changes.size() == 1);
  CHECK(c.status_changes[0].id == "NCT00000002");
  CHECK(c.status_changes[0].from == "RECRUITING");
  CHECK(c.status_changes[0].to == "ACTIVE_NOT_RECRUITING");
  CHECK(read_changes(db, "2999-01-01").empty());

  // Two more snapshots: with --keep 1 only the live one and one before it remain.
  run(db, {ndjson(dir, "v3.jsonl", v2)}, true);
  auto last = run(db, {ndjson(dir, "v4.jsonl", v2)}, true);
  CHECK(generations(db) == std::vector<std::string>{"gen-000003", "gen-000004"});
  CHECK(last.pruned == std::vector<std::string>{"gen-000002"});
  CHECK(live_generation(db) == "gen-000004");
}

TEST_CASE("a snapshot that could not read an input is not published", "[generations][snapshot]") {
  test::TempDir dir;
  std::string db = (dir.path() / "db").string();
  run(db, {ndjson(dir, "v1.jsonl", study_set(3))});

  SECTION("a missing source") {
    CHECK_THROWS_WITH(run(db, {ndjson(dir, "v2.jsonl", study_set(2)), "/nonexistent.jsonl"}, true),
                      Catch::Contains("not published"));
  }
  SECTION("a truncated zip download") {
    auto zip = dir.path() / "studies.zip";
    std::vector<std::pair<std::string, std::string>> entries;
    for (const auto& s : study_set(3))
      entries.emplace_back("study-" + std::to_string(entries.size()) + ".json", s);
    test::write_zip(zip, entries);
    fs::resize_file(zip, fs::file_size(zip) * 2 / 3);
    CHECK_THROWS_WITH(run(db, {zip.string()}, true), Catch::Contains("not published"));
  }
  CHECK(live_generation(db) == "gen-000001");
  CHECK(generations(db) == std::vector<std::string>{"gen-000001"});
  CHECK(doc_count(db) == 3);
  for (const auto& e : fs::directory_iterator(db))
    CHECK(e.path().filename().string().find(".building") == std::string::npos);
}

TEST_CASE("a snapshot that would remove too much is refused unless allowed",
          "[generations][snapshot]") {
  test::TempDir dir;
  std::string db = (dir.path() / "db").string();
  run(db, {ndjson(dir, "v1.jsonl", study_set(10))});
  auto small = ndjson(dir, "v2.jsonl", study_set(5));
  CHECK_THROWS_WITH(run(db, {small}, true, 1, 0.10), Catch::Contains("--max-removed"));
  CHECK(doc_count(db) == 10);
  auto s = run(db, {small}, true, 1, 1.0);
  CHECK(s.removed == 5);
  CHECK(doc_count(db) == 5);
}

TEST_CASE("a killed build's folder is cleared by the next snapshot", "[generations][snapshot]") {
  test::TempDir dir;
  std::string db = (dir.path() / "db").string();
  auto src = ndjson(dir, "v1.jsonl", study_set(2));
  run(db, {src});
  fs::create_directories(fs::path(db) / "gen-000007.building");
  std::ofstream(fs::path(db) / "gen-000007.building" / "iamglass") << "half";
  auto s = run(db, {src}, true);
  CHECK(s.generation == "gen-000008");
  CHECK_FALSE(fs::exists(fs::path(db) / "gen-000007.building"));
  CHECK(doc_count(db) == 2);
}

TEST_CASE("a first build killed midway leaves a folder the next run builds in",
          "[generations][snapshot]") {
  test::TempDir dir;
  std::string db = (dir.path() / "db").string();
  fs::create_directories(fs::path(db) / "gen-000001.building.shards" / "shard-0");
  std::ofstream(fs::path(db) / "write.lock");
  std::ofstream(fs::path(db) / "XAPIANDB.tmp-123") << "auto gen-000001";
  CHECK(layout_of(db) == DbLayout::Empty);
  auto s = run(db, {ndjson(dir, "v1.jsonl", study_set(2))});
  CHECK(s.generation == "gen-000002");
  CHECK(doc_count(db) == 2);
  CHECK_FALSE(fs::exists(fs::path(db) / "gen-000001.building.shards"));
  CHECK_FALSE(fs::exists(fs::path(db) / "XAPIANDB.tmp-123"));
}

TEST_CASE("an update logs new trials and status changes", "[generations][changes]") {
  test::TempDir dir;
  std::string db = (dir.path() / "db").string();
  run(db, {ndjson(dir, "v1.jsonl", study_set(2))});
  auto s = run(
      db, {ndjson(dir, "v2.jsonl",
                  {test::study_json("NCT00000001", "Lupus trial 1", "belimumab", {}, "COMPLETED"),
                   test::study_json("NCT00000009", "New")})});
  CHECK(s.added == 1);
  CHECK(s.replaced == 1);
  auto log = read_changes(db);
  REQUIRE(log.size() == 2);
  CHECK(log[1].mode == "update");
  CHECK(log[1].added == std::vector<std::string>{"NCT00000009"});
  REQUIRE(log[1].status_changes.size() == 1);
  CHECK(log[1].status_changes[0].to == "COMPLETED");
  // A run that changes nothing adds no entry.
  run(db, {ndjson(dir, "v3.jsonl", study_set(1, "COMPLETED"))});
  CHECK(read_changes(db).size() == 2);
}

TEST_CASE("one writer at a time: a second one is refused, or waits with --wait",
          "[generations][lock]") {
  test::TempDir dir;
  std::string db = (dir.path() / "db").string();
  auto src = ndjson(dir, "v1.jsonl", study_set(2));
  run(db, {src});
  {
    WriterLock held(db, 0);
    CHECK_THROWS_AS(run(db, {src}), LockedError);
    CHECK_THROWS_WITH(run(db, {src}, true), Catch::Contains("write.lock"));
  }
  auto holder = std::make_unique<WriterLock>(db, 0);
  std::thread release([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    holder.reset();
  });
  IndexOptions o;
  o.db_path = db;
  o.wait_seconds = 10;
  CHECK_NOTHROW(index_sources({src}, o, {}));
  release.join();
  CHECK(fs::exists(writer_lock_path(db)));
}

TEST_CASE("a folder with other content is never written to", "[generations]") {
  test::TempDir dir;
  std::ofstream(dir.path() / "notes.txt") << "mine";
  CHECK_THROWS_WITH(run(dir.str(), {ndjson(dir, "a.jsonl", study_set(1))}),
                    Catch::Contains("not a trialsearch database"));
  CHECK_FALSE(fs::exists(dir.path() / "XAPIANDB"));
}

TEST_CASE("readers searching through snapshot switches never fail", "[generations][readers]") {
  test::TempDir dir;
  std::string db = (dir.path() / "db").string();
  auto src = ndjson(dir, "v1.jsonl", study_set(30));
  auto other = ndjson(dir, "v2.jsonl", study_set(28));
  run(db, {src});
  std::atomic<bool> done{false};
  std::atomic<int> searches{0}, failures{0}, empty{0};
  std::vector<std::thread> readers;
  for (int r = 0; r < 2; ++r) {
    readers.emplace_back([&] {
      while (!done) {
        try {
          SearchOptions q;
          q.query = "lupus belimumab";
          auto result = with_database(db, [&](const Xapian::Database& d) { return search(d, q); });
          if (result.hits.empty()) ++empty;
          ++searches;
        } catch (...) {
          ++failures;
        }
      }
    });
  }
  for (int i = 0; i < 8; ++i) run(db, {i % 2 ? src : other}, true, i % 2 ? 0 : 1);
  done = true;
  for (auto& t : readers) t.join();
  INFO(searches << " searches");
  CHECK(searches > 0);
  CHECK(failures == 0);
  CHECK(empty == 0);
}

TEST_CASE("rollback switches readers to the generation kept before the live one",
          "[generations][rollback]") {
  test::TempDir dir;
  std::string db = (dir.path() / "db").string();
  run(db, {ndjson(dir, "v1.jsonl", study_set(4))});
  CHECK_THROWS_WITH(rollback_generation(db, "", 0), Catch::Contains("no generation older"));
  run(db, {ndjson(dir, "v2.jsonl", study_set(3))}, true);
  CHECK(doc_count(db) == 3);
  CHECK(rollback_generation(db, "", 0) == "gen-000001");
  CHECK(live_generation(db) == "gen-000001");
  CHECK(doc_count(db) == 4);
  CHECK(read_changes(db).back().mode == "rollback");
  CHECK(rollback_generation(db, "gen-000002", 0) == "gen-000002");
  CHECK(doc_count(db) == 3);
  CHECK_THROWS_WITH(rollback_generation(db, "gen-000099", 0), Catch::Contains("no generation"));
  {
    WriterLock held(db, 0);
    CHECK_THROWS_AS(rollback_generation(db, "", 0), LockedError);
  }
  // The next snapshot numbers after every generation on disk.
  CHECK(run(db, {ndjson(dir, "v3.jsonl", study_set(3))}, true).generation == "gen-000003");
}
