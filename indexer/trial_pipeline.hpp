/// @brief The indexing pipeline both index paths share: one reader thread feeding trials to
/// worker threads, stopped as a whole by the first error.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>
#include <vector>

#include "indexer/bounded_queue.hpp"
#include "indexer/trial_sink.hpp"

namespace trialsearch {

/// A trial and its place in the input (0, 1, 2... in reading order).
struct SequencedTrial {
  std::uint64_t seq;
  Trial trial;
};

/// Reader → workers. `read` runs on its own thread and feeds a TrialSink whose trials go to
/// `workers` threads, each running `work(worker, pipeline)`, which takes trials with next().
/// The first error (the reader's or a worker's exception) wins: it stops the whole pipeline
/// (the reader at its next trial, the workers at their next next()) and wait() rethrows it.
/// The destructor stops and joins whatever still runs, so a consumer that fails on its own
/// thread (the writer) only has to let the exception pass.
class TrialPipeline {
 public:
  struct Options {
    unsigned workers = 0;  ///< 0 = one per core
    /// Each trial goes to worker route(trial) % workers, through one queue per worker, so that
    /// one id always meets the same worker. Unset: one shared queue; any free worker takes the
    /// next trial.
    std::function<std::size_t(const Trial&)> route;
    std::size_t queue_capacity = 256;  ///< trials read ahead, per queue
    /// A record or input the reader, or a worker, could not use; calls are serialised.
    std::function<void(const Origin&, std::string_view)> skipped;
    std::function<void()> on_read;  ///< on the reader's thread, for every trial read
    /// After every worker returned and nothing stopped the pipeline: the number of trials read.
    std::function<void(std::uint64_t)> on_finished;
    /// When the pipeline is stopped early (an error, or stop()): whatever the workers wait on
    /// outside the pipeline must give up (called once, under no lock of the pipeline's).
    std::function<void()> on_stop;
  };
  using Read = std::function<void(TrialSink&)>;
  using Work = std::function<void(unsigned worker, TrialPipeline&)>;

  /// Starts the reader and the workers.
  TrialPipeline(Options options, Read read, Work work);
  ~TrialPipeline();
  TrialPipeline(const TrialPipeline&) = delete;
  TrialPipeline& operator=(const TrialPipeline&) = delete;

  /// For worker `worker`: the next trial; nullopt at the end of the input or once stopped.
  std::optional<SequencedTrial> next(unsigned worker);
  /// Reports a record a worker could not use (serialised with the reader's reports).
  void skipped(const Origin& where, std::string_view reason);
  /// Stops the reader and the workers early (a consumer outside the pipeline failed).
  void stop();
  /// Joins the reader and the workers, then rethrows the first error, if any.
  void wait();
  /// The workers a pipeline runs for Options::workers `requested`: 0 = one per core.
  static unsigned worker_count(unsigned requested);
  /// Trials read so far (all of them once wait() returned).
  std::uint64_t read() const { return read_.load(); }

 private:
  class Sink;
  void fail(std::exception_ptr error);
  void close_queues();
  void worker_done();

  Options options_;
  std::vector<std::unique_ptr<BoundedQueue<SequencedTrial>>> queues_;
  std::mutex mutex_;  ///< guards error_ and serialises skipped()
  std::exception_ptr error_;
  std::atomic<bool> stopped_{false};
  std::atomic<std::uint64_t> read_{0};
  std::atomic<unsigned> running_{0};
  std::vector<std::jthread> threads_;  ///< the workers, then the reader
};

}  // namespace trialsearch
