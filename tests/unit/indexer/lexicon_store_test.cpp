// Imported lexicons: stored in the database, kept by upserts and snapshots, removable, within
// Xapian's limits, and a failed import changes nothing.
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <string>
#include <vector>

#include "analyzers/errors.hpp"
#include "indexer/index_writer.hpp"
#include "indexer/synonym_table.hpp"
#include "query/searcher.hpp"
#include "query/trial_database.hpp"
#include "tests/support/test_support.hpp"

using namespace trialsearch;

namespace {

std::string write_file(const test::TempDir& dir, const std::string& name,
                       const std::string& content) {
  auto path = dir.path() / name;
  std::ofstream(path) << content;
  return path.string();
}

IndexSummary run(const std::string& db, const std::vector<std::string>& sources,
                 const std::vector<std::string>& lexicons = {}, bool snapshot = false,
                 const std::vector<std::string>& remove = {}) {
  IndexOptions o;
  o.db_path = db;
  o.threads = 2;
  o.lexicons = lexicons;
  o.remove_lexicons = remove;
  o.snapshot = snapshot;
  return index_sources(sources, o, {});
}

std::vector<std::string> ids(const std::string& db, const std::string& query,
                             AliasMode mode = AliasMode::On) {
  return with_database(db, [&](const Xapian::Database& d) {
    SearchOptions s;
    s.query = query;
    s.limit = 100;
    s.records = false;
    s.aliases = mode;
    std::vector<std::string> out;
    for (const auto& h : search(d, s).hits) out.push_back(h.trial.nct_id);
    std::sort(out.begin(), out.end());
    return out;
  });
}

std::vector<std::string> lexicon_names(const std::string& db) {
  return with_database(db, [](const Xapian::Database& d) {
    std::vector<std::string> out;
    for (const auto& l : stored_lexicons(d)) out.push_back(l.name);
    return out;
  });
}

}  // namespace

TEST_CASE("an imported lexicon is kept by upserts and snapshots until removed",
          "[indexer][lexicon]") {
  test::TempDir dir;
  std::string db = (dir.path() / "db").string();
  std::string src = write_file(dir, "a.jsonl",
                               test::study_json("NCT00000001", "A trial", "zorblimab") + "\n" +
                                   test::study_json("NCT00000002", "Another", "other drug") + "\n");
  std::string lexicon = write_file(dir, "mine.tsv", "zorblimab\tZorblex\tZB-1234\n");
  run(db, {src});
  CHECK(ids(db, "Zorblex").empty());

  run(db, {}, {lexicon});  // a lexicon alone, into an existing database
  CHECK(lexicon_names(db) == std::vector<std::string>{"mine.tsv"});
  CHECK(ids(db, "Zorblex") == std::vector<std::string>{"NCT00000001"});
  CHECK(ids(db, "zb-1234") == std::vector<std::string>{"NCT00000001"});
  CHECK(ids(db, "Zorblex", AliasMode::Strict) == std::vector<std::string>{"NCT00000001"});
  CHECK(ids(db, "Zorblex", AliasMode::Off).empty());

  run(db, {src});  // an upsert without --lexicon
  CHECK(ids(db, "Zorblex") == std::vector<std::string>{"NCT00000001"});
  run(db, {src}, {}, true);  // a snapshot without --lexicon
  CHECK(lexicon_names(db) == std::vector<std::string>{"mine.tsv"});
  CHECK(ids(db, "Zorblex") == std::vector<std::string>{"NCT00000001"});

  CHECK_THROWS_AS(run(db, {}, {}, false, {"nosuch.tsv"}), UsageError);
  run(db, {}, {}, false, {"mine.tsv"});
  CHECK(lexicon_names(db).empty());
  CHECK(ids(db, "Zorblex").empty());
}

TEST_CASE("a lexicon that cannot be read changes nothing", "[indexer][lexicon]") {
  test::TempDir dir;
  std::string db = (dir.path() / "db").string();
  std::string src =
      write_file(dir, "a.jsonl", test::study_json("NCT00000001", "A trial", "zorblimab") + "\n");
  std::string good = write_file(dir, "mine.tsv", "zorblimab\tZorblex\n");
  run(db, {src}, {good});
  std::string bad = (dir.path() / "missing.csv").string();
  CHECK_THROWS_AS(run(db, {src}, {bad}), RuntimeError);
  CHECK(lexicon_names(db) == std::vector<std::string>{"mine.tsv"});
  CHECK(ids(db, "Zorblex") == std::vector<std::string>{"NCT00000001"});
}

TEST_CASE("lexicon names at and past Xapian's limits import", "[indexer][lexicon][limits]") {
  // "Bad synonym data": a synonym over 255 bytes broke the table. Names of 244 to 300 bytes.
  test::TempDir dir;
  std::string db = (dir.path() / "db").string();
  std::string src =
      write_file(dir, "a.jsonl", test::study_json("NCT00000001", "A trial", "zorblimab") + "\n");
  std::string lines;
  for (std::size_t n : {244u, 245u, 246u, 254u, 255u, 256u, 300u})
    lines += "zorblimab\t" + std::string(n, 'x') + "\n" + std::string(n, 'y') + "\tzorblimab\n";
  std::string lexicon = write_file(dir, "long.tsv", lines);
  REQUIRE_NOTHROW(run(db, {src}, {lexicon}));
  REQUIRE_NOTHROW(run(db, {src}, {lexicon}));  // and again, into the existing database
  CHECK(ids(db, "zorblimab") == std::vector<std::string>{"NCT00000001"});
  CHECK_NOTHROW(ids(db, std::string(250, 'y')));  // a key that long has no list: no alias
}
