/// @brief One JSON shape for a trial in a result list, shared by search, match and similar hits.
#pragma once

#include <cstddef>
#include <optional>

#include "indexer/json_writer.hpp"
#include "indexer/trial.hpp"

namespace trialsearch {

/// Opens a hit's object and writes what every hit has: rank, nct_id, score, percent (when
/// given), title, status, phases, study_type, conditions, condition_mesh (when the record read
/// has them), interventions (name, other_names), sponsor, start_date, last_update, enrollment
/// (when known). The caller adds its own keys (search: snippet, explain; similar: shared,
/// same_conditions) and closes the object. Record text is made printable (no terminal escapes).
void begin_hit_json(JsonWriter& w, std::size_t rank, double score, std::optional<int> percent,
                    const Trial& trial);

}  // namespace trialsearch
