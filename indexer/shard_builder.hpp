/// @brief Builds a new database from scratch on every core: one shard per thread, merged by
/// compaction.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzers/alias_graph.hpp"
#include "indexer/trial_sink.hpp"

namespace trialsearch {

struct ShardBuildOptions {
  std::string output;   ///< folder for the new database; must not exist yet
  unsigned shards = 0;  ///< parallel shards; 0 = one per core
  std::size_t commit_every =
      250;  ///< documents per shard between flushes (bounds memory; measured)
  /// Documents per segment: a shard starts a fresh database after this many, and the final
  /// compaction merges every segment, so that commits never go into a large B-tree.
  std::size_t segment_size = 20000;
  std::function<void()> on_read;  ///< called on the reader's thread for every trial read
};

struct ShardBuildResult {
  std::uint64_t read = 0;        ///< trials read
  std::uint64_t written = 0;     ///< distinct trials in the output
  std::uint64_t duplicates = 0;  ///< trials read again in the same run (the last one wins)
  AliasGraph aliases;            ///< links harvested from the records (trial provenance)
};

/// Reads trials with `read` (which feeds the sink it is given, e.g. a call to read_sources),
/// builds documents on `shards` threads, each writing its own temporary database, and compacts
/// the shards into options.output. A trial id always goes to the same shard, so a duplicate in
/// the input replaces the earlier copy, in input order. Skipped records go to `skipped`.
/// The output has documents, spelling data and the shards' metadata; the caller adds synonyms
/// and run metadata. Throws RuntimeError if the output cannot be written.
ShardBuildResult build_shards(const std::function<void(TrialSink&)>& read,
                              const ShardBuildOptions& options,
                              const std::function<void(const Origin&, std::string_view)>& skipped);

}  // namespace trialsearch
