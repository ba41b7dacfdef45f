// Inputs the fuzzers once crashed or hung on (tests/fuzz/regressions/<reader>/), replayed
// through the reader: each must give trials or skips, never throw.
#include <catch2/catch.hpp>

#include <filesystem>

#include "indexer/format_readers.hpp"
#include "indexer/source_reader.hpp"
#include "tests/support/test_support.hpp"

using namespace trialsearch;

TEST_CASE("fuzzer regressions never throw", "[fuzz]") {
  namespace fs = std::filesystem;
  const fs::path root = test::source_dir() / "tests/fuzz/regressions";
  std::size_t replayed = 0;
  for (const auto& dir : {"json", "xml", "page"}) {
    REQUIRE(fs::is_directory(root / dir));
    for (const auto& entry : fs::directory_iterator(root / dir)) {
      if (!entry.is_regular_file() || entry.path().filename() == ".gitkeep") continue;
      std::string input = test::read_file(entry.path());
      Origin origin;
      origin.file = entry.path().string();
      test::CollectingSink sink;
      INFO(entry.path().string());
      std::string_view reader = dir;
      if (reader == "json") REQUIRE_NOTHROW(read_json(input, origin, sink));
      if (reader == "xml") REQUIRE_NOTHROW(read_xml(input, origin, sink));
      if (reader == "page") REQUIRE_NOTHROW(read_page_text(input, origin, sink));
      CHECK(sink.trials.size() + sink.skips.size() >= 1);
      ++replayed;
    }
  }
  CHECK(replayed >= 3);  // at least the hand-made seeds below
}

TEST_CASE("the hand-made fuzzer seeds give what they were made for", "[fuzz]") {
  const auto root = test::source_dir() / "tests/fuzz/regressions";
  struct Row {
    const char* path;
    void (*read)(std::string_view, const Origin&, TrialSink&);
    std::size_t trials, skips;
  };
  const Row rows[] = {
      {"json/truncated-study.json", read_json, 0, 1},          // cut inside the NCT id
      {"xml/truncated-study.xml", read_xml, 0, 1},             // cut inside the brief title
      {"page/label-without-value.txt", read_page_text, 1, 0},  // a label, then nothing
  };
  for (const auto& r : rows) {
    INFO(r.path);
    REQUIRE(std::filesystem::is_regular_file(root / r.path));
    Origin origin;
    origin.file = r.path;
    test::CollectingSink sink;
    r.read(test::read_file(root / r.path), origin, sink);
    CHECK(sink.trials.size() == r.trials);
    CHECK(sink.skips.size() == r.skips);
  }
}
