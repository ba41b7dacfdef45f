// The reader → workers pipeline both index paths share: every trial taken once, routing, and the
// first error stopping the whole pipeline.
#include <catch2/catch.hpp>

#include <atomic>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <thread>

#include "indexer/trial_pipeline.hpp"

using namespace trialsearch;

namespace {

// Feeds `n` trials NCT00000000, NCT00000001, ... and a skipped record after the first.
TrialPipeline::Read feed(int n, std::atomic<int>* fed = nullptr) {
  return [n, fed](TrialSink& sink) {
    for (int i = 0; i < n; ++i) {
      Trial t;
      t.nct_id = "NCT" + std::string(8 - std::to_string(i).size(), '0') + std::to_string(i);
      sink.trial(std::move(t));
      if (fed) ++*fed;
      if (i == 0) sink.skipped(Origin{"in.jsonl", "", 2, ""}, "no NCT id");
    }
  };
}

}  // namespace

TEST_CASE("every trial read reaches one worker once, numbered in reading order",
          "[indexer][pipeline]") {
  const bool routed = GENERATE(false, true);
  INFO((routed ? "one queue per worker" : "one shared queue"));
  std::mutex mutex;
  std::set<std::uint64_t> seqs;
  std::set<std::string> ids;
  std::map<std::string, unsigned> worker_of;
  std::vector<std::string> skips;
  std::optional<std::uint64_t> finished;
  TrialPipeline::Options options;
  options.workers = 3;
  options.queue_capacity = 4;  // the reader waits for the workers
  if (routed)
    options.route = [](const Trial& t) { return static_cast<std::size_t>(t.nct_id.back()); };
  options.skipped = [&](const Origin& o, std::string_view r) {
    skips.push_back(describe(o) + ": " + std::string(r));
  };
  options.on_finished = [&](std::uint64_t n) { finished = n; };
  TrialPipeline pipeline(std::move(options), feed(500), [&](unsigned w, TrialPipeline& p) {
    while (auto item = p.next(w)) {
      std::lock_guard lock(mutex);
      seqs.insert(item->seq);
      ids.insert(item->trial.nct_id);
      worker_of[item->trial.nct_id] = w;
    }
  });
  pipeline.wait();
  CHECK(pipeline.read() == 500);
  CHECK(finished == std::optional<std::uint64_t>(500));
  CHECK(seqs.size() == 500);
  CHECK(*seqs.rbegin() == 499);
  CHECK(ids.size() == 500);
  CHECK(skips == std::vector<std::string>{"in.jsonl:line 2: no NCT id"});
  if (routed)
    for (const auto& [id, w] : worker_of) CHECK(w == static_cast<unsigned>(id.back()) % 3);
}

TEST_CASE("a worker's error stops the reader early and is the one reported",
          "[indexer][pipeline]") {
  std::atomic<int> fed{0};
  bool stopped = false, finished = false;
  TrialPipeline::Options options;
  options.workers = 2;
  options.queue_capacity = 8;
  options.on_stop = [&] { stopped = true; };
  options.on_finished = [&](std::uint64_t) { finished = true; };
  TrialPipeline pipeline(std::move(options), feed(100000, &fed), [](unsigned w, TrialPipeline& p) {
    while (auto item = p.next(w))
      if (item->seq == 10) throw std::runtime_error("disk full");
  });
  CHECK_THROWS_WITH(pipeline.wait(), "disk full");
  CHECK(stopped);
  CHECK_FALSE(finished);
  CHECK(fed < 1000);  // the reader stopped at its next trial, not at the end of the input
}

TEST_CASE("a reader's error stops the workers and is reported", "[indexer][pipeline]") {
  std::atomic<int> taken{0};
  TrialPipeline::Options options;
  options.workers = 2;
  TrialPipeline pipeline(
      std::move(options),
      [](TrialSink& sink) {
        feed(5)(sink);
        throw std::runtime_error("truncated zip");
      },
      [&](unsigned w, TrialPipeline& p) {
        while (p.next(w)) ++taken;
      });
  CHECK_THROWS_WITH(pipeline.wait(), "truncated zip");
  CHECK(taken <= 5);
}

TEST_CASE("a consumer that fails outside the pipeline stops it without a hang",
          "[indexer][pipeline]") {
  std::atomic<bool> released{false};
  {
    TrialPipeline::Options options;
    options.workers = 2;
    options.queue_capacity = 2;
    options.on_stop = [&] { released = true; };
    TrialPipeline pipeline(std::move(options), feed(100000), [&](unsigned w, TrialPipeline& p) {
      // a worker blocked on something outside the pipeline until on_stop releases it
      while (p.next(w))
        while (!released) std::this_thread::yield();
    });
    // the consumer fails here: the pipeline's destructor stops and joins everything
  }
  CHECK(released);
}
