// Shard sets: the stub lines readers accept, the shard of a trial, roles, sort keys, near-tie
// settling, and `sync_shards` writing and updating a set that reads as the live database.
#include <catch2/catch.hpp>

#include <xapian.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "analyzers/errors.hpp"
#include "analyzers/fields.hpp"
#include "indexer/generations.hpp"
#include "indexer/index_writer.hpp"
#include "indexer/shard_set.hpp"
#include "query/ranking.hpp"
#include "query/record_lookup.hpp"
#include "query/searcher.hpp"
#include "query/trial_database.hpp"
#include "tests/support/test_support.hpp"

using namespace trialsearch;
namespace fs = std::filesystem;

namespace {

std::string write_stub(const test::TempDir& dir, const std::string& text) {
  auto path = (dir.path() / "XAPIANDB").string();
  std::ofstream(path) << text;
  return path;
}

std::vector<std::string> ids_of(const SearchResult& r) {
  std::vector<std::string> out;
  for (const auto& h : r.hits) out.push_back(h.trial.nct_id);
  return out;
}

SearchResult search_all(const std::string& db, const std::string& query,
                        SortOrder sort = SortOrder::Relevance) {
  SearchOptions o;
  o.query = query;
  o.limit = 100;
  o.sort = sort;
  o.facets = {"status", "phase"};
  return with_database(db, [&](const Xapian::Database& d) { return search(d, o); });
}

}  // namespace

TEST_CASE("read_stub accepts our lines, xapian-replicate's and remote shards, nothing else") {
  test::TempDir dir;
  auto entries = read_stub(write_stub(dir, "# a comment\n\nauto gen-000004\n"));
  REQUIRE(entries.size() == 1);
  CHECK(entries[0].label() == "gen-000004");
  CHECK(entries[0].line == 3);

  entries = read_stub(write_stub(dir, "# This file was automatically generated\nauto replica_1\n"));
  REQUIRE(entries.size() == 1);
  CHECK(entries[0].folder == (dir.path() / "replica_1").string());

  entries = read_stub(write_stub(dir, "auto tables\nremote 10.0.0.7:33301\nremote [::1]:33302\n"));
  REQUIRE(entries.size() == 3);
  CHECK(entries[1].remote());
  CHECK(entries[1].host == "10.0.0.7");
  CHECK(entries[1].port == 33301);
  CHECK(entries[2].host == "::1");
  CHECK(entries[2].label() == "::1:33302");

  for (const char* bad : {"remote :xapian-progsrv /srv/db\n", "auto ../elsewhere\n",
                          "auto /abs/path\n", "auto .\n", "auto ..\n", "auto gen-000005.building\n",
                          "glass gen-000001\n", "remote host:0\n", "remote host:99999\n",
                          "remote host:33301 extra\n", "inmemory\n", "auto a b\n", "\n# none\n"})
    CHECK_THROWS_AS(read_stub(write_stub(dir, bad)), RuntimeError);
  // The writer still takes only its own one line.
  CHECK_THROWS_AS(checked_stub(write_stub(dir, "auto replica_0\n")), RuntimeError);
  CHECK(checked_stub(write_stub(dir, "auto gen-000002\n")) == "gen-000002");
}

TEST_CASE("a trial's shard is a fixed function of its NCT id") {
  // FNV-1a: the same on every machine and release (values computed once, kept).
  CHECK(shard_of("NCT00000001", 4) == shard_of("NCT00000001", 4));
  std::map<unsigned, int> spread;
  for (int i = 0; i < 4000; ++i) ++spread[shard_of(fmt::format("NCT{:08d}", i), 4)];
  REQUIRE(spread.size() == 4);
  for (const auto& [shard, n] : spread) CHECK(n > 800);
  CHECK(shard_of("", 3) == 14695981039346656037ULL % 3);
}

TEST_CASE("shard roles round-trip and refuse nonsense") {
  ShardRole t{true, 0, 4, "abc"};
  CHECK(format_role(t) == "tables/4/abc");
  CHECK(parse_role("tables/4/abc") == t);
  ShardRole s{false, 3, 4, "abc"};
  CHECK(parse_role(format_role(s)) == s);
  for (const char* bad : {"", "4/4/abc", "1/0/abc", "x/4/abc", "1/4/", "1/4", "1/999/abc"})
    CHECK_FALSE(parse_role(bad));
}

TEST_CASE("sort keys order by value, then NCT id ascending under a descending sort") {
  auto key = [](double v, const char* id) { return sort_key(Xapian::sortable_serialise(v), id); };
  // descending: the greater key first
  CHECK(key(20240101, "NCT00000001") > key(20230101, "NCT00000001"));
  CHECK(key(20240101, "NCT00000001") > key(20240101, "NCT00000002"));
  CHECK(key(2, "NCT9") > key(1.5, "NCT1"));  // serialisations of different lengths
  CHECK(sort_key("", "NCT00000001") < key(0, "NCT00000002"));  // no value: last
}

TEST_CASE("near-ties are settled by id, other orders kept") {
  std::vector<std::pair<double, std::string>> hits = {
      {10.0, "NCT3"}, {5.0 + 1e-12, "NCT9"}, {5.0, "NCT2"}, {5.0 - 1e-12, "NCT5"}, {1.0, "NCT1"}};
  settle_near_ties(
      hits, [](const auto& h) { return h.first; }, [](const auto& h) { return h.second; });
  std::vector<std::string> order;
  for (const auto& h : hits) order.push_back(h.second);
  CHECK(order == std::vector<std::string>{"NCT3", "NCT2", "NCT5", "NCT9", "NCT1"});
  CHECK_FALSE(same_weight(5.0, 5.0001));
}

TEST_CASE("sync_shards writes a set that reads as the live database, and updates it in place") {
  test::TempDir dir;
  const std::string live = (dir.path() / "live").string(), set = (dir.path() / "set").string();
  auto source = (dir.path() / "v1.jsonl").string();
  {
    std::ofstream out(source);
    for (int i = 1; i <= 30; ++i)
      out << test::study_json(fmt::format("NCT{:08d}", i), fmt::format("Lupus trial {}", i),
                              i % 2 ? "belimumab" : "rituximab", {},
                              i % 3 ? "RECRUITING" : "COMPLETED")
          << "\n";
  }
  IndexOptions io;
  io.db_path = live;
  io.threads = 2;
  index_sources({source}, io, {});

  ShardSyncOptions so{live, set, 3};
  ShardSyncSummary first = sync_shards(so);
  CHECK(first.rebuilt);
  CHECK(first.added == 30);
  for (auto sort : {SortOrder::Relevance, SortOrder::Start}) {
    auto a = search_all(live, "lupus belimumab", sort),
         b = search_all(set, "lupus belimumab", sort);
    CHECK(ids_of(a) == ids_of(b));
    CHECK(a.total == b.total);
    REQUIRE(a.facets.size() == b.facets.size());
    for (std::size_t i = 0; i < a.facets.size(); ++i) {
      REQUIRE(a.facets[i].counts.size() == b.facets[i].counts.size());
      for (std::size_t j = 0; j < a.facets[i].counts.size(); ++j) {
        CHECK(a.facets[i].counts[j].value == b.facets[i].counts[j].value);
        CHECK(a.facets[i].counts[j].count == b.facets[i].counts[j].count);
      }
    }
  }
  // Synonyms and aliases come from the tables: Benlysta finds belimumab's trials.
  CHECK(ids_of(search_all(set, "benlysta")) == ids_of(search_all(live, "benlysta")));
  CHECK_FALSE(ids_of(search_all(set, "benlysta")).empty());

  // A night: one trial changed, one gone, one new.
  auto night = (dir.path() / "v2.jsonl").string();
  {
    std::ofstream out(night);
    for (int i = 2; i <= 31; ++i)
      out << test::study_json(
                 fmt::format("NCT{:08d}", i),
                 i == 5 ? "Lupus trial five, amended" : fmt::format("Lupus trial {}", i),
                 i % 2 ? "belimumab" : "rituximab", {}, i % 3 ? "RECRUITING" : "COMPLETED")
          << "\n";
  }
  io.snapshot = true;
  index_sources({night}, io, {});
  so.count = 0;  // the set's own
  ShardSyncSummary second = sync_shards(so);
  CHECK_FALSE(second.rebuilt);
  CHECK(second.added == 1);
  CHECK(second.removed == 1);
  CHECK(second.replaced == 1);
  CHECK(second.unchanged == 28);
  CHECK(ids_of(search_all(set, "lupus")) == ids_of(search_all(live, "lupus")));
  CHECK(with_database(set, [](const Xapian::Database& d) {
          return find_trial(d, "NCT00000005")->brief_title;
        }) == "Lupus trial five, amended");
  CHECK_FALSE(with_database(
      set, [](const Xapian::Database& d) { return find_trial(d, "NCT00000001").has_value(); }));

  // Another count writes the set anew; the stub names the new shards only.
  so.count = 2;
  CHECK(sync_shards(so).rebuilt);
  CHECK_FALSE(fs::exists(fs::path(set) / "shard-2"));
  CHECK(read_stub((fs::path(set) / "XAPIANDB").string()).size() == 3);
  CHECK(ids_of(search_all(set, "lupus")) == ids_of(search_all(live, "lupus")));

  // A folder that is not a shard set is never written.
  ShardSyncOptions foreign{live, live, 2};
  CHECK_THROWS_AS(sync_shards(foreign), RuntimeError);
}

TEST_CASE("a stub naming a shard twice or leaving one out is refused") {
  test::TempDir dir;
  const std::string live = (dir.path() / "live").string(), set = (dir.path() / "set").string();
  auto source = (dir.path() / "v1.jsonl").string();
  std::ofstream(source) << test::study_json("NCT00000001", "Lupus trial 1") << "\n"
                        << test::study_json("NCT00000002", "Lupus trial 2") << "\n";
  IndexOptions io;
  io.db_path = live;
  index_sources({source}, io, {});
  sync_shards(ShardSyncOptions{live, set, 2});
  const auto stub = (fs::path(set) / "XAPIANDB").string();
  std::ofstream(stub) << "auto tables\nauto shard-0\nauto shard-0\n";
  CHECK_THROWS_WITH(open_database(set), Catch::Contains("names a shard twice"));
  std::ofstream(stub) << "auto tables\nauto shard-1\n";
  CHECK_THROWS_WITH(open_database(set), Catch::Contains("every shard once"));
  std::ofstream(stub) << "auto shard-0\nauto shard-1\n";
  CHECK_THROWS_WITH(open_database(set), Catch::Contains("tables first"));
  std::ofstream(stub) << "auto shard-1\nauto tables\nauto shard-0\n";
  CHECK_THROWS_AS(open_database(set), RuntimeError);
  std::ofstream(stub) << "auto tables\nauto shard-1\nauto shard-0\n";
  CHECK(open_database(set).get_doccount() == 2);
}
