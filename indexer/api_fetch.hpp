/// @brief Brings the index up to date from ClinicalTrials.gov's API v2: the studies updated
/// since the last run (paged, streamed into an upsert), and now and then a reconciliation with
/// the registry's complete id list (trials that left it are removed).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "analyzers/db_metadata.hpp"
#include "indexer/api_client.hpp"
#include "indexer/index_writer.hpp"

namespace trialsearch {

struct FetchOptions {
  /// The database and the upsert's settings (db_path, threads, wait_seconds,
  /// max_removed_share); `read`, `remove_ids` and `metadata` are set by fetch_from_api.
  IndexOptions index;
  ApiClientOptions api;
  bool full = false;          ///< fetch even if the data has not moved, and reconcile now
  double reconcile_days = 7;  ///< reconcile by itself when the last one is this old; 0: never
  unsigned page_size = 1000;  ///< studies per page (the API's maximum is 1,000)
};

struct FetchSummary {
  bool current = false;            ///< the API's dataTimestamp had not moved: nothing was done
  std::string data_timestamp;      ///< the API's, now stored in the database
  std::string previous_timestamp;  ///< the one stored before ("" on a first run)
  std::string since;           ///< the LastUpdatePostDate range's first date ("" for every study)
  std::uint64_t pages = 0;     ///< pages of studies read (updates and missing ids)
  std::uint64_t requests = 0;  ///< HTTP requests, retries included
  bool reconciled = false;     ///< the registry's id list was compared with the index
  std::uint64_t registry_ids = 0;  ///< ids the registry listed
  std::uint64_t missing = 0;       ///< listed, not in the index and not updated: fetched by id
  IndexSummary index;              ///< what the upsert did (summary.removed: left the registry)
};

/// GET /version; unless `options.full`, stops (summary.current) when its dataTimestamp is the
/// one stored. Otherwise, when a reconciliation is due (`full`, reconcile_days since the last
/// one, or none yet in a database that holds trials), pages the registry's NCT ids
/// (fields=NCTId): a list that lacks more than index.max_removed_share of the trials, or that
/// is shorter than the totalCount it announced, is refused before anything is written. Then
/// upserts the studies whose LastUpdatePostDate is on or after the stored timestamp's date
/// (every study when the database is new; the newest last-update date the index holds when it
/// was built from files), page by page, then those the id list holds and the index lacks;
/// removes the trials the id list lacks; stores the new dataTimestamp with the last commit.
/// Throws RuntimeError (one line) when the API fails beyond its retries, or answers with
/// something that is not what the specification promises; the live index then keeps every
/// commit made before the failure (every IndexOptions::commit_every studies; none in a night's
/// few thousand) and its stored timestamp, so the next run starts from the same date.
FetchSummary fetch_from_api(const FetchOptions& options, const IndexCallbacks& callbacks,
                            const std::function<void(std::string_view)>& on_message);

/// Whole days from the date-time `from` to `to` (ISO 8601, "2026-12-03T09:00:05"); nullopt
/// when either does not start with a date.
std::optional<double> days_between(std::string_view from, std::string_view to);

/// The summary as one JSON object (`fetch --json`), the upsert's summary under "index".
std::string fetch_summary_to_json(const FetchSummary& summary);

}  // namespace trialsearch
