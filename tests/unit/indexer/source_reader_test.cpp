// Format detection and NDJSON reading: by whole lines, whatever the first lines hold.
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <fstream>
#include <string>
#include <thread>

#include "indexer/source_reader.hpp"
#include "tests/support/test_support.hpp"

using namespace trialsearch;

namespace {

std::string line(int i, const std::string& title = "Lupus") {
  char id[16];
  std::snprintf(id, sizeof id, "NCT%08d", i);
  return test::study_json(id, title) + "\n";
}

}  // namespace

TEST_CASE("detect_format: NDJSON from its first whole lines", "[source][ndjson]") {
  const std::string big = line(1, "Big " + std::string(100 * 1024, 'b'));
  struct Row {
    std::string name, head;
    InputFormat format;
  };
  std::vector<Row> rows{
      {"two studies", line(1) + line(2), InputFormat::Ndjson},
      {"first record over 64 KB", big + line(2), InputFormat::Ndjson},
      {"a BOM", "\xef\xbb\xbf" + line(1) + line(2), InputFormat::Ndjson},
      {"garbage first", "garbage\n" + line(2) + line(3), InputFormat::Ndjson},
      {"NUL second", line(1) + std::string("\0\0", 2) + "\n" + line(3), InputFormat::Ndjson},
      {"one study on one line", line(1), InputFormat::JsonV2},
      {"one pretty study", "{\n  \"protocolSection\": {}\n}\n", InputFormat::JsonV2},
      {"an array, a study a line",
       "[\n" + test::study_json("NCT00000001", "a") + ",\n" + test::study_json("NCT00000002", "b") +
           "\n]\n",
       InputFormat::JsonV2},
      {"xml", "<?xml version=\"1.0\"?>\n<clinical_study>\n", InputFormat::Xml},
      {"page text", "NCT00000001\nA study of lupus\n", InputFormat::PageText},
  };
  for (const auto& r : rows) {
    INFO(r.name);
    CHECK(detect_format(r.head) == r.format);
  }
}

TEST_CASE("detect_format: zip, XML and JSON after white space, binary and empty inputs",
          "[source][format]") {
  struct Row {
    std::string name, head;
    InputFormat format;
  };
  const std::vector<Row> rows{
      {"zip", std::string("PK\x03\x04", 4) + "rest", InputFormat::Zip},
      {"empty zip", std::string("PK\x05\x06", 4) + std::string(18, '\0'), InputFormat::Zip},
      {"xml after a BOM and blank lines", "\xef\xbb\xbf\n\n<clinical_study>", InputFormat::Xml},
      {"an array", "  [{\"protocolSection\": {}}]", InputFormat::JsonV2},
      {"empty", "", InputFormat::Unknown},
      {"white space only", " \n\t\n", InputFormat::Unknown},
      {"binary",
       std::string("\x7f"
                   "ELF\x02\x01\x01\0\0\0",
                   10),
       InputFormat::Unknown},
      {"text that is no record", "just a note\n", InputFormat::PageText},
  };
  for (const auto& r : rows) {
    INFO(r.name);
    CHECK(detect_format(r.head) == r.format);
  }
}

TEST_CASE("read_buffer: a bad line among the first two is skipped by number, the rest read",
          "[source][ndjson]") {
  Origin origin;
  origin.file = "x.jsonl";
  struct Row {
    std::string name, content;
    std::size_t trials;
    std::string skip;
  };
  std::vector<Row> rows{
      {"garbage line 1", "garbage\n" + line(2) + line(3), 2, "x.jsonl:line 1"},
      {"NUL line 2", line(1) + std::string("\0\0", 2) + "\n" + line(3), 2, "x.jsonl:line 2"},
      {"truncated line 2", line(1) + line(2).substr(0, 25) + "\n" + line(3), 2, "x.jsonl:line 2"},
      {"BOM", "\xef\xbb\xbf" + line(1) + line(2), 2, ""},
      {"BOM, one study", "\xef\xbb\xbf" + line(1), 1, ""},
      {"first record over 64 KB", line(1, std::string(70 * 1024, 'b')) + line(2), 2, ""},
  };
  for (const auto& r : rows) {
    INFO(r.name);
    test::CollectingSink sink;
    read_buffer(r.content, origin, sink);
    CHECK(sink.trials.size() == r.trials);
    if (r.skip.empty()) {
      CHECK(sink.skips.empty());
    } else {
      REQUIRE(sink.skips.size() == 1);
      CHECK(sink.skips[0].starts_with(r.skip));
    }
  }
}

TEST_CASE("read_sources: a file cut mid-line is an input not read whole", "[source][ndjson]") {
  test::TempDir dir;
  std::string all = line(1) + line(2) + line(3);
  std::ofstream(dir.path() / "cut.jsonl") << all.substr(0, all.size() - 20);
  std::ofstream(dir.path() / "whole.jsonl") << all.substr(0, all.size() - 1);  // no last \n
  test::CollectingSink sink;
  ReadCounts cut = read_sources({(dir.path() / "cut.jsonl").string()}, sink);
  CHECK(cut.input_errors == 1);
  CHECK(sink.trials.size() == 2);
  REQUIRE(sink.skips.size() == 1);
  CHECK(sink.skips[0].find("line 3: last line cut short") != std::string::npos);
  test::CollectingSink whole_sink;
  ReadCounts whole = read_sources({(dir.path() / "whole.jsonl").string()}, whole_sink);
  CHECK(whole.input_errors == 0);
  CHECK(whole_sink.trials.size() == 3);
}

TEST_CASE("read_sources reads NDJSON from a pipe (never rewinds)", "[source][ndjson]") {
  test::TempDir dir;
  auto fifo = dir.path() / "fifo";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  std::thread writer([&] { std::ofstream(fifo) << line(1) << line(2) << line(3); });
  test::CollectingSink sink;
  ReadCounts counts = read_sources({fifo.string()}, sink);
  writer.join();
  CHECK(sink.trials.size() == 3);
  CHECK(sink.skips.empty());
  CHECK(counts.input_errors == 0);
}
