// Building a fresh database on several shards: same documents as one writer would make.
#include <catch2/catch.hpp>

#include <fstream>

#include "indexer/document_builder.hpp"
#include "indexer/shard_builder.hpp"
#include "indexer/source_reader.hpp"
#include "indexer/trial_codec.hpp"
#include "tests/support/test_support.hpp"

using namespace trialsearch;

namespace {

std::string study(int n, const std::string& title, const std::string& drug,
                  const std::string& other) {
  return "{\"protocolSection\":{\"identificationModule\":{\"nctId\":\"NCT" +
         std::string(8 - std::to_string(n).size(), '0') + std::to_string(n) +
         "\",\"briefTitle\":\"" + title +
         "\"},\"armsInterventionsModule\":{\"interventions\":[{\"type\":\"DRUG\",\"name\":\"" +
         drug + "\",\"otherNames\":[\"" + other + "\"]}]}}}";
}

}  // namespace

TEST_CASE("shards merge into one database; a duplicate id keeps its last version",
          "[indexer][shards]") {
  // One segment per shard, and many small segments (the duplicate then lands in a later
  // segment than its first copy, which must be deleted from the earlier one).
  const std::size_t segment_size = GENERATE(20000, 16);
  INFO("segment size " << segment_size);
  test::TempDir dir;
  std::string src = (dir.path() / "in.jsonl").string();
  {
    std::ofstream out(src);
    for (int i = 1; i <= 200; ++i)
      out << study(i, "lupus trial " + std::to_string(i), "drug" + std::to_string(i),
                   "alias" + std::to_string(i))
          << "\n";
    out << study(7, "lupus trial seven, amended", "drug7", "alias7") << "\n";
  }
  ShardBuildOptions options;
  options.output = (dir.path() / "db").string();
  options.shards = 3;
  options.commit_every = 50;
  options.segment_size = segment_size;
  std::vector<std::string> skips;
  auto result = build_shards(
      [&](TrialSink& sink) { read_sources({src}, sink); }, options,
      [&](const Origin& o, std::string_view r) { skips.push_back(describe(o) + std::string(r)); });
  CHECK(skips.empty());
  CHECK(result.read == 201);
  CHECK(result.written == 200);
  CHECK(result.duplicates == 1);
  Xapian::Database db(options.output);
  CHECK(db.get_doccount() == 200);
  auto p = db.postlist_begin(id_term("NCT00000007"));
  REQUIRE(p != db.postlist_end(id_term("NCT00000007")));
  CHECK(trial_from_record(db.get_document(*p).get_data()).brief_title ==
        "lupus trial seven, amended");
  CHECK(db.get_termfreq(id_term("NCT00000007")) == 1);
  CHECK(db.get_spelling_suggestion("lupsu") == "lupus");
  CHECK(!result.aliases.explain("drug42", "alias42").empty());
  CHECK_FALSE(std::filesystem::exists(options.output + ".shards"));
}
