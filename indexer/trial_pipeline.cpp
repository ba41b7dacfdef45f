#include "indexer/trial_pipeline.hpp"

#include <algorithm>
#include <utility>

namespace trialsearch {

// What the reader feeds: numbers each trial and hands it to its queue.
class TrialPipeline::Sink : public TrialSink {
 public:
  explicit Sink(TrialPipeline& pipeline) : pipeline_(pipeline) {}
  void trial(Trial&& t) override {
    auto& p = pipeline_;
    if (p.options_.on_read) p.options_.on_read();
    const std::size_t queue = p.options_.route ? p.options_.route(t) % p.queues_.size() : 0;
    if (!p.queues_[queue]->push(SequencedTrial{p.read_.load(), std::move(t)}))
      throw ReadingStopped{};
    ++p.read_;
  }
  void skipped(const Origin& where, std::string_view reason) override {
    pipeline_.skipped(where, reason);
  }

 private:
  TrialPipeline& pipeline_;
};

TrialPipeline::TrialPipeline(Options options, Read read, Work work) : options_(std::move(options)) {
  const unsigned n = worker_count(options_.workers);
  const std::size_t n_queues = options_.route ? n : 1;
  for (std::size_t i = 0; i < n_queues; ++i)
    queues_.push_back(std::make_unique<BoundedQueue<SequencedTrial>>(options_.queue_capacity));
  running_ = n;
  for (unsigned w = 0; w < n; ++w)
    threads_.emplace_back([this, w, work] {
      try {
        work(w, *this);
      } catch (...) {
        fail(std::current_exception());
      }
      worker_done();
    });
  threads_.emplace_back([this, read = std::move(read)] {
    Sink sink(*this);
    try {
      read(sink);
    } catch (const ReadingStopped&) {
      // stopped by another part's error: that one is reported
    } catch (...) {
      fail(std::current_exception());
    }
    close_queues();  // the end of the input: the workers drain their queues
  });
}

unsigned TrialPipeline::worker_count(unsigned requested) {
  return requested ? requested : std::max(1u, std::thread::hardware_concurrency());
}

TrialPipeline::~TrialPipeline() {
  stop();
  for (auto& t : threads_)
    if (t.joinable()) t.join();
}

std::optional<SequencedTrial> TrialPipeline::next(unsigned worker) {
  if (stopped_) return std::nullopt;
  auto item = queues_[options_.route ? worker : 0]->pop();
  if (stopped_) return std::nullopt;
  return item;
}

void TrialPipeline::skipped(const Origin& where, std::string_view reason) {
  std::lock_guard lock(mutex_);
  if (options_.skipped) options_.skipped(where, reason);
}

void TrialPipeline::stop() {
  if (stopped_.exchange(true)) return;
  close_queues();
  if (options_.on_stop) options_.on_stop();
}

void TrialPipeline::wait() {
  for (auto& t : threads_)
    if (t.joinable()) t.join();
  std::lock_guard lock(mutex_);
  if (error_) std::rethrow_exception(error_);
}

void TrialPipeline::fail(std::exception_ptr error) {
  {
    std::lock_guard lock(mutex_);
    if (!error_) error_ = std::move(error);
  }
  stop();
}

void TrialPipeline::close_queues() {
  for (auto& q : queues_) q->close();
}

void TrialPipeline::worker_done() {
  if (--running_ != 0 || stopped_) return;
  // The last worker: the reader closed the queues, so every trial was read and taken.
  if (options_.on_finished) options_.on_finished(read_.load());
}

}  // namespace trialsearch
