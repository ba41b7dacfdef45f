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
    if (!fs::is_directory(root / dir)) continue;
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
  // the folder always holds at least the hand-made seeds below
  CHECK(replayed >= 3);
}
