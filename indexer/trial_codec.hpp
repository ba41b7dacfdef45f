/// @brief The record data stored with each document: a Trial as compact JSON, and back.
#pragma once

#include <string>
#include <string_view>

#include "indexer/trial.hpp"

namespace trialsearch {

/// Serialises every field of the Trial (empty fields left out) as one compact JSON object.
/// Keys are the Trial member names (snake_case); the same object is what `show --json` prints.
std::string trial_to_json(const Trial& trial);

/// Parses what trial_to_json wrote; throws std::runtime_error on malformed input.
Trial trial_from_json(std::string_view json);

}  // namespace trialsearch
