/// @brief What a database holds: documents, schema, build time, sources, counts by status and
/// phase, synonyms, size.
#pragma once

#include <xapian.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "indexer/synonym_table.hpp"
#include "query/trial_database.hpp"

namespace trialsearch {

struct DbStats {
  std::uint64_t documents = 0;
  std::string schema;
  std::string built;
  std::string sources_json;   ///< JSON array of the last run's sources
  std::string last_run_json;  ///< JSON summary of the last index run
  /// The API's dataTimestamp the index is current to (`fetch`), "" when never fetched.
  std::string data_timestamp;
  std::string reconciled;  ///< the dataTimestamp of fetch's last reconciliation
  std::map<std::string, std::uint64_t> by_status;
  std::map<std::string, std::uint64_t> by_phase;
  std::uint64_t synonym_keys = 0;
  std::uint64_t alias_links = 0;  ///< links harvested from the records
  std::vector<StoredLexicon> lexicons;
  std::uint64_t size_bytes = 0;          ///< the live database on disk
  std::uint64_t total_size_bytes = 0;    ///< the whole folder: kept generations, change log
  std::string generation;                ///< the live generation ("" for a flat database)
  std::vector<std::string> generations;  ///< complete generations on disk, oldest first
  std::vector<ShardStatus> shards;       ///< a shard set's databases (empty otherwise)
};

/// Bytes on disk of a file, or of every file under a folder (0 when unreadable).
std::uint64_t disk_size(const std::string& path);

/// Gathers the statistics of `db`, stored at `path` (for its size on disk).
DbStats database_stats(const Xapian::Database& db, const std::string& path);

/// The stats as one JSON object (`stats --json`: key "documents" etc.).
std::string stats_to_json(const DbStats& stats);

}  // namespace trialsearch
