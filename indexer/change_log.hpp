/// @brief What each index run changed (new trials, removed trials, status changes), kept with
/// the database as one JSON line per run in DIR/changes.jsonl, for `trialsearch changes`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace trialsearch {

struct StatusChange {
  std::string id;
  std::string from;  ///< API v2 spelling: RECRUITING, ACTIVE_NOT_RECRUITING, ...
  std::string to;
};

struct ChangeEntry {
  std::string time;        ///< UTC, ISO 8601 (YYYY-MM-DDTHH:MM:SSZ)
  std::string mode;        ///< "initial" (first build), "snapshot" or "update"
  std::string generation;  ///< the live generation after the run (empty for a flat database)
  std::uint64_t documents = 0;
  std::uint64_t added_count = 0;
  std::uint64_t removed_count = 0;
  std::uint64_t replaced_count = 0;
  /// NCT ids; left empty for an initial build (every trial is new: the counts say it).
  std::vector<std::string> added;
  std::vector<std::string> removed;
  std::vector<StatusChange> status_changes;
};

std::string change_to_json(const ChangeEntry& entry);

/// The entry change_to_json() wrote; nullopt for text that is not such an object (no time).
std::optional<ChangeEntry> change_from_json(std::string_view json);

/// Appends `entry` as one line to DIR/changes.jsonl (one write; O_APPEND). Throws RuntimeError
/// when it cannot be written.
void append_change(const std::string& db, const ChangeEntry& entry);

/// The entries of DIR/changes.jsonl whose time is at or after `since` (a date or a date-time
/// prefix, compared as ISO text; empty for all), oldest first. Lines that do not parse are left
/// out. No log: no entries.
std::vector<ChangeEntry> read_changes(const std::string& db, std::string_view since = {});

/// True when DIR/changes.jsonl holds an entry with exactly this time and mode (a run's entry
/// already logged).
bool change_logged(const std::string& db, const ChangeEntry& entry);

/// The path of the change log, for messages.
std::string change_log_path(const std::string& db);

}  // namespace trialsearch
