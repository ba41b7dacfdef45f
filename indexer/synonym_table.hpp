/// @brief Keeps the alias graph in database metadata and derives Xapian's synonym table from it.
#pragma once

#include <xapian.h>

#include <cstddef>

#include "analyzers/alias_graph.hpp"

namespace trialsearch {

/// The alias graph stored in the database (empty if none).
AliasGraph load_alias_graph(const Xapian::Database& db);

/// Stores the graph in the database metadata (committed with the next commit).
void store_alias_graph(Xapian::WritableDatabase& db, const AliasGraph& graph);

/// Rewrites the synonym table from the graph: for every alias group with at least one member
/// present in the index, each member's key maps to the other members' drug-name terms (and
/// their plain word term when a member is one word). Returns the number of keys written.
std::size_t write_synonyms(Xapian::WritableDatabase& db, const AliasGraph& graph);

/// The synonym key QueryParser looks up for an alias key: its words joined by single spaces,
/// or empty when the key has characters the QueryParser would split on (such keys are
/// reached through the drug-name terms instead).
std::string synonym_key(std::string_view alias_key);

}  // namespace trialsearch
