/// @brief The record data stored with each document: a Trial as compact JSON compressed with
/// zstd, and back.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "indexer/trial.hpp"

namespace trialsearch {

/// Serialises every field of the Trial (empty fields left out) as one compact JSON object.
/// Keys are the Trial member names (snake_case); the same object is what `show --json` prints.
std::string trial_to_json(const Trial& trial);

/// trial_to_json(trial), and in `content_end` the length of its beginning that holds every
/// field but `origin` (where the record was read from): what a content hash is taken of.
std::string trial_to_json(const Trial& trial, std::size_t& content_end);

/// Parses what trial_to_json wrote; throws std::runtime_error on malformed input.
Trial trial_from_json(std::string_view json);

/// The record data stored with a document: `json` (trial_to_json's) compressed with zstd.
/// Xapian would otherwise deflate it, and inflating cost four times as long as zstd takes: a
/// third of the time a search spends on each hit.
std::string record_data(std::string_view json);

/// Which fields of a record to read.
enum class RecordParts {
  All,
  /// What a search hit shows: NCT id, brief and official titles, status, phases, study type,
  /// conditions, interventions, lead sponsor, summary, description, eligibility criteria, start and
  /// update dates, enrollment. Sites, outcomes and the rest, the bulk of a record, are left empty.
  Hit,
};

/// The Trial in record data (zstd-compressed JSON, as record_data writes it). Throws
/// CorruptRecordError on corrupt data.
Trial trial_from_record(std::string_view data, RecordParts parts = RecordParts::All);

}  // namespace trialsearch
