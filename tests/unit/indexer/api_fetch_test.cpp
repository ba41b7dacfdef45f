// fetch's pieces without a server: query encoding, day arithmetic, and the writer's hooks it
// uses (a streamed reader, ids removed unless read, metadata stored only by a whole run, and a
// reader that fails mid-run leaving the database as it was).
#include <catch2/catch.hpp>

#include <stdexcept>

#include <fmt/format.h>
#include <xapian.h>

#include "indexer/api_client.hpp"
#include "indexer/api_fetch.hpp"
#include "indexer/document_builder.hpp"
#include "indexer/format_readers.hpp"
#include "indexer/generations.hpp"
#include "indexer/index_writer.hpp"
#include "tests/support/test_support.hpp"

using namespace trialsearch;

namespace {

// An upsert whose trials are the studies `ids` (titles tagged with `version`), read through
// IndexOptions::read; `fail_after` throws from the reader after that many studies.
IndexSummary stream(const std::string& db, const std::vector<std::string>& ids,
                    const std::string& version, IndexOptions o = {}, int fail_after = -1) {
  o.db_path = db;
  o.threads = 2;
  o.read = [&](TrialSink& sink, std::atomic<std::uint64_t>*) {
    ReadCounts counts;
    int n = 0;
    for (const auto& id : ids) {
      if (n++ == fail_after) throw RuntimeError("the server went away");
      Origin origin;
      origin.file = "page";
      read_json(test::study_json(id, "Lupus study " + version), origin, sink);
      ++counts.inputs;
    }
    return counts;
  };
  return index_sources({}, o, {});
}

Xapian::Database live(const std::string& db) { return Xapian::Database(live_database_path(db)); }

bool holds(const std::string& db, const std::string& nct_id) {
  return live(db).term_exists(id_term(nct_id));
}

}  // namespace

TEST_CASE("query values are percent-encoded, unreserved characters kept", "[indexer][api]") {
  struct Row {
    std::string in, out;
  };
  for (const auto& [in, out] : std::vector<Row>{
           {"AREA[LastUpdatePostDate]RANGE[2026-12-01,MAX]",
            "AREA%5BLastUpdatePostDate%5DRANGE%5B2026-12-01%2CMAX%5D"},
           {"NCT00000001,NCT00000002", "NCT00000001%2CNCT00000002"},
           {"a b/c?d=e&f", "a%20b%2Fc%3Fd%3De%26f"},
           {"-_.~", "-_.~"},
           {"\xc3\xa9", "%C3%A9"},
       }) {
    INFO(in);
    CHECK(url_encode(in) == out);
  }
  CHECK(user_agent().rfind("trialsearch/", 0) == 0);
}

TEST_CASE("days between data timestamps", "[indexer][api]") {
  CHECK(days_between("2026-12-01T09:00:05", "2026-12-08T09:00:05") == 7.0);
  CHECK(days_between("2026-02-27", "2026-03-01T00:00:00") == 2.0);
  CHECK(days_between("2024-12-31T23:59:59", "2025-01-01") == 1.0);
  CHECK(!days_between("", "2026-12-01"));
  CHECK(!days_between("yesterday", "2026-12-01"));
}

TEST_CASE("a streamed upsert stores its metadata and removes ids it did not read",
          "[indexer][api]") {
  test::TempDir dir;
  const std::string db = (dir.path() / "db").string();
  stream(db, {"NCT00000001", "NCT00000002", "NCT00000003", "NCT00000004"}, "v1");
  REQUIRE(live(db).get_doccount() == 4);

  IndexOptions o;
  o.metadata[std::string(kMetaDataTimestamp)] = "2026-12-03T09:00:05";
  // NCT...3 is read again in this run, so it stays; NCT...9 is not in the index at all
  o.remove_ids = {"NCT00000002", "NCT00000003", "NCT00000009"};
  auto s = stream(db, {"NCT00000003", "NCT00000005"}, "v2", o);
  CHECK(s.removed == 1);
  CHECK(s.added == 1);
  CHECK(s.replaced == 1);
  auto d = live(db);
  CHECK(d.get_doccount() == 4);
  CHECK(holds(db, "NCT00000003"));
  CHECK_FALSE(holds(db, "NCT00000002"));
  CHECK(d.get_metadata(std::string(kMetaDataTimestamp)) == "2026-12-03T09:00:05");
}

TEST_CASE("a reader that fails mid-run leaves the database as it was", "[indexer][api]") {
  test::TempDir dir;
  const std::string db = (dir.path() / "db").string();
  IndexOptions first;
  first.metadata[std::string(kMetaDataTimestamp)] = "2026-12-01T09:00:05";
  stream(db, {"NCT00000001", "NCT00000002"}, "v1", first);
  const auto before = live(db).get_lastdocid();

  IndexOptions o;
  o.metadata[std::string(kMetaDataTimestamp)] = "2026-12-02T09:00:05";
  o.remove_ids = {"NCT00000001"};
  CHECK_THROWS_AS(stream(db, {"NCT00000002", "NCT00000003", "NCT00000004"}, "v2", o, 2),
                  RuntimeError);
  auto d = live(db);
  CHECK(d.get_doccount() == 2);
  CHECK(d.get_lastdocid() == before);  // nothing added, not even uncommitted then closed
  CHECK_FALSE(holds(db, "NCT00000003"));
  CHECK(holds(db, "NCT00000001"));
  CHECK(d.get_metadata(std::string(kMetaDataTimestamp)) == "2026-12-01T09:00:05");
}

TEST_CASE("Xapian commits nothing by itself between an upsert's commits", "[indexer][api]") {
  // Xapian's glass backend flushes every XAPIAN_FLUSH_THRESHOLD (10,000) changed documents; out
  // of a transaction that flush is a commit, which would publish documents without their alias
  // links. An upsert of 10,500 new trials (no commit of ours before the end) must commit as
  // often as one of 10.
  test::TempDir dir;
  const std::string db = (dir.path() / "db").string();
  stream(db, {"NCT00000001"}, "v1");
  auto commits_of = [&](int first, int count) {
    std::vector<std::string> ids;
    for (int i = first; i < first + count; ++i) ids.push_back(fmt::format("NCT{:08}", i));
    IndexOptions o;
    o.commit_every = 20000;
    o.commit_bytes = 1ull << 40;
    const auto before = live(db).get_revision();
    CHECK(stream(db, ids, "v2", o).added == static_cast<std::uint64_t>(count));
    return live(db).get_revision() - before;
  };
  const auto small = commits_of(2, 10);
  CHECK(small >= 1);
  CHECK(commits_of(100, 10500) == small);
}
