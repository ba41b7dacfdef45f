/// @brief The record data stored with each document: a Trial as compact JSON, and back.
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

}  // namespace trialsearch
