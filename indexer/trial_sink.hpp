/// @brief Where readers deliver what they read: trials, skipped records and refused inputs.
#pragma once

#include <string_view>

#include "indexer/trial.hpp"

namespace trialsearch {

/// Readers call trial() for every record read and skipped() for every record or input they
/// could not read; they never throw for bad input. `where` names the file, archive entry and
/// line; `reason` is one line of text ("truncated JSON", "no NCT id", "classic v1 JSON API
/// format: not supported, use API v2 JSON").
class TrialSink {
 public:
  virtual ~TrialSink() = default;
  virtual void trial(Trial&& trial) = 0;
  virtual void skipped(const Origin& where, std::string_view reason) = 0;
};

/// Thrown by a sink's trial() when the pipeline behind it has stopped (a shard or the writer
/// failed): the reader stops at the next trial instead of parsing the rest of its input, and the
/// pipeline reports its own error, the first one. Not a std::exception, so that a reader's
/// error handling (which turns one into a skipped record) lets it through.
struct ReadingStopped {};

}  // namespace trialsearch
