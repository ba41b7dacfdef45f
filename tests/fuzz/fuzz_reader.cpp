// libFuzzer target for one reader, chosen at compile time with TRIALSEARCH_FUZZ_READER:
// 1 = read_json, 2 = read_xml, 3 = read_page_text, 4 = read_buffer (format detection + all).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "indexer/format_readers.hpp"
#include "indexer/source_reader.hpp"

namespace {

class NullSink : public trialsearch::TrialSink {
 public:
  void trial(trialsearch::Trial&&) override {}
  void skipped(const trialsearch::Origin&, std::string_view) override {}
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  trialsearch::Origin origin;
  origin.file = "fuzz";
  NullSink sink;
#if TRIALSEARCH_FUZZ_READER == 1
  trialsearch::read_json(input, origin, sink);
#elif TRIALSEARCH_FUZZ_READER == 2
  trialsearch::read_xml(input, origin, sink);
#elif TRIALSEARCH_FUZZ_READER == 3
  trialsearch::read_page_text(input, origin, sink);
#else
  trialsearch::read_buffer(input, origin, sink);
#endif
  return 0;
}
