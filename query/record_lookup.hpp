/// @brief Finding stored trials by NCT id.
#pragma once

#include <xapian.h>

#include <optional>
#include <string_view>

#include "indexer/trial.hpp"

namespace trialsearch {

/// The document id of a trial, if indexed (the id is matched case-insensitively).
std::optional<Xapian::docid> find_docid(const Xapian::Database& db, std::string_view nct_id);

/// The NCT id of an indexed document, from its id slot (without reading the stored record).
std::string nct_id_of(const Xapian::Document& doc);

/// The stored record of a trial, if indexed.
std::optional<Trial> find_trial(const Xapian::Database& db, std::string_view nct_id);

}  // namespace trialsearch
