// trialsearch validate: read sources without indexing; counts, skips and read speed.
#include <fmt/format.h>

#include <chrono>
#include <map>
#include <memory>

#include "analyzers/errors.hpp"
#include "cli/commands.hpp"
#include "indexer/json_writer.hpp"
#include "indexer/source_reader.hpp"

namespace trialsearch::cli {
namespace {

struct ValidateOptions {
  std::vector<std::string> sources;
  bool json = false;
  bool quiet = false;
};

class CountingSink : public TrialSink {
 public:
  explicit CountingSink(bool quiet) : quiet_(quiet) {}
  void trial(Trial&& t) override {
    ++by_format[t.origin.format];
    ++trials;
  }
  void skipped(const Origin& where, std::string_view reason) override {
    ++skips;
    ++reasons[std::string(reason)];
    if (!quiet_) fmt::print(stderr, "trialsearch: skipped {}: {}\n", describe(where), reason);
  }
  std::uint64_t trials = 0, skips = 0;
  std::map<std::string, std::uint64_t> by_format, reasons;

 private:
  bool quiet_;
};

int run_validate(const ValidateOptions& o) {
  CountingSink sink(o.quiet);
  auto start = std::chrono::steady_clock::now();
  ReadCounts counts = read_sources(o.sources, sink);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (o.json) {
    JsonWriter w;
    w.begin_object();
    w.key("trials").value(sink.trials).key("skipped").value(sink.skips);
    w.key("inputs")
        .value(counts.inputs)
        .key("bytes")
        .value(counts.bytes)
        .key("seconds")
        .value(seconds);
    w.key("by_format").begin_object();
    for (const auto& [f, n] : sink.by_format) w.key(f).value(n);
    w.end_object().key("skip_reasons").begin_object();
    for (const auto& [r, n] : sink.reasons) w.key(r).value(n);
    w.end_object().end_object();
    fmt::print("{}\n", w.str());
  } else {
    fmt::print(
        "{} trials read, {} skipped, from {} inputs ({:.1f} MB) in {:.2f} s: {:.0f} records/s, "
        "{:.1f} MB/s\n",
        sink.trials, sink.skips, counts.inputs, counts.bytes / 1e6, seconds,
        seconds > 0 ? sink.trials / seconds : 0.0,
        seconds > 0 ? counts.bytes / 1e6 / seconds : 0.0);
  }
  // a missing or unreadable input is an I/O error (exit 1); malformed records exit 4
  if (counts.input_errors) return kExitRuntime;
  return sink.skips ? kExitPartial : kExitOk;
}

}  // namespace

void setup_validate(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<ValidateOptions>();
  auto* sub = app.add_subcommand(
      "validate", "Read sources without indexing: what would be read or skipped, and how fast");
  sub->add_option("sources", o->sources,
                  "files, folders, zip archives, or - for NDJSON on standard input")
      ->required();
  sub->add_flag("--json", o->json, "print the counts as JSON");
  sub->add_flag("-q,--quiet", o->quiet, "no per-record messages");
  sub->callback([o, &exit_code] { exit_code = run_validate(*o); });
}

}  // namespace trialsearch::cli
