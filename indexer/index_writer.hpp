/// @brief Indexes sources into a Xapian database: readers and document builders on worker threads,
/// one writer, upserts by NCT id, alias and synonym tables, metadata.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <xapian.h>

#include "indexer/change_log.hpp"
#include "indexer/source_reader.hpp"

namespace trialsearch {

struct IndexOptions {
  std::string db_path;
  unsigned threads = 0;              ///< document builders; 0 = one per core
  std::size_t commit_every = 10000;  ///< documents per commit (upserts)
  /// An upsert also commits when its uncommitted documents weigh about this much in memory.
  std::uint64_t commit_bytes = 96ull << 20;
  std::vector<std::string>
      lexicons;  ///< lexicon files to import (DrugBank CSV, Drugs@FDA, aliases.tsv)
  std::vector<std::string> remove_lexicons;  ///< names of imported lexicons to remove
  double wait_seconds = 0;                   ///< how long to wait for another writer's lock
  /// The sources are a complete snapshot: build a new generation, remove trials absent from
  /// it, switch readers atomically.
  bool snapshot = false;
  unsigned keep = 1;  ///< older generations kept for rollback after a snapshot
  /// A snapshot that would remove more than this share of the live trials is not published.
  double max_removed_share = 0.10;
  /// When set, trials come from this instead of `sources` (the API client streams its pages
  /// through it). It runs on the reader thread; when it throws, the run fails and the documents
  /// not yet committed are dropped (an upsert commits every commit_every documents).
  std::function<ReadCounts(TrialSink& sink, std::atomic<std::uint64_t>* consumed)> read;
  /// NCT ids an upsert removes from the live database, unless the run read them (trials the
  /// registry no longer lists).
  std::vector<std::string> remove_ids;
  /// Metadata stored in the run's last transaction, with the synonyms and the summary: only a
  /// run that committed everything stores it (the API's high-water mark).
  std::map<std::string, std::string> metadata;
};

/// Whether `candidate`, a record of the trial `held` holds, should replace it: a later last
/// update date wins; on the same date, the greater content hash (so that two records of one
/// version, such as its XML and its JSON, give the same index in either order); undated
/// records, the candidate (the copy read last).
bool supersedes(const Xapian::Document& candidate, const Xapian::Document& held);

struct IndexSummary {
  std::uint64_t read = 0;       ///< records read from the sources
  std::uint64_t added = 0;      ///< new trials
  std::uint64_t replaced = 0;   ///< trials whose content changed
  std::uint64_t unchanged = 0;  ///< trials read again with the same content: skipped cheaply
  /// Records of a trial read earlier in the same run (one NCT id in two inputs): the newest
  /// (last update date; on a tie, an order-independent choice) is indexed, whatever the order.
  std::uint64_t duplicates = 0;
  std::uint64_t removed = 0;  ///< trials absent from a snapshot
  std::uint64_t status_changes = 0;
  std::uint64_t skipped = 0;  ///< records or inputs that could not be read
  std::uint64_t inputs = 0;   ///< files and archive entries examined
  /// Inputs that could not be read whole (missing, unreadable, a truncated archive): exit 1.
  std::uint64_t input_errors = 0;
  std::uint64_t bytes = 0;
  std::map<std::string, std::uint64_t> skip_reasons;  ///< reason -> count
  std::uint64_t documents = 0;                        ///< documents in the database afterwards
  std::uint64_t alias_links = 0;        ///< harvested alias links accepted (alias_expansion.hpp)
  std::uint64_t synonym_keys = 0;       ///< keys written to the synonym table
  std::uint64_t largest_expansion = 0;  ///< names in the largest drug expansion written
  std::string generation;               ///< the live generation afterwards ("" for a flat database)
  std::vector<std::string> pruned;      ///< generations removed after a snapshot
  double seconds = 0;
};

/// Called on the writer's thread about twice a second, and once at the end.
struct IndexProgress {
  std::uint64_t records = 0;
  double seconds = 0;
  std::uint64_t bytes_done = 0;   ///< of the sources consumed so far
  std::uint64_t bytes_total = 0;  ///< of all the sources; 0 when unknown (standard input)
};

struct IndexCallbacks {
  std::function<void(std::string_view message)> skipped;  ///< one line per skipped input
  std::function<void(const IndexProgress&)> progress;
};

/// Reads `sources` (see read_sources) into the database folder options.db_path (generations.hpp):
/// a new folder gets its first generation; otherwise every trial is upserted into the live
/// generation, or, with options.snapshot, a new generation is built, compared and published.
/// Each run that changes something appends to the change log (change_log.hpp). Throws
/// LockedError when another writer holds the database (after options.wait_seconds),
/// RuntimeError when the database has another schema version or a snapshot is refused (the
/// live generation is then unchanged). Bad records never throw: they are counted and reported
/// through callbacks.skipped.
IndexSummary index_sources(const std::vector<std::string>& sources, const IndexOptions& options,
                           const IndexCallbacks& callbacks);

/// Switches readers of the database folder `db` back to an older generation: `to`, else the
/// newest one older than the live one. Takes the writer lock (after `wait_seconds`) and logs a
/// "rollback" entry in the change log. Returns the generation now live. Throws RuntimeError
/// when there is no such generation (a flat database has none).
std::string rollback_generation(const std::string& db, const std::string& to, double wait_seconds);

/// The summary as one JSON object (the `index --json` output).
std::string summary_to_json(const IndexSummary& summary);

/// The change entry kMetaPendingChange holds, unless it is absent or already in the change log
/// (the run was logged and killed before clearing it).
std::optional<ChangeEntry> pending_change(const Xapian::Database& db, const std::string& db_dir);

}  // namespace trialsearch
