/// @brief The alias evidence kept in a database (harvested links, imported lexicons) and Xapian's
/// synonym table derived from it.
#pragma once

#include <xapian.h>

#include <cstddef>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "analyzers/alias_expansion.hpp"
#include "analyzers/alias_graph.hpp"
#include "analyzers/lexicon.hpp"

namespace trialsearch {

/// The harvested alias graph stored in the database (empty if none).
AliasGraph load_alias_graph(const Xapian::Database& db);

/// Stores the harvested graph in the database metadata (committed with the next commit).
void store_alias_graph(Xapian::WritableDatabase& db, const AliasGraph& graph);

/// A lexicon imported into a database: kept by every upsert and snapshot until removed.
struct StoredLexicon {
  std::string name;  ///< the file's name, without folders: importing it again replaces it
  std::string file;  ///< the path it was imported from
  std::string format;
  std::size_t entries = 0;
  std::size_t skipped_lines = 0;
  std::string imported;  ///< ISO time
};

/// The lexicons imported into the database, by name.
std::vector<StoredLexicon> stored_lexicons(const Xapian::Database& db);

/// Stores (or replaces, by name) one imported lexicon and its entries.
void store_lexicon(Xapian::WritableDatabase& db, const StoredLexicon& info,
                   const std::vector<LexiconEntry>& entries);

/// Removes the lexicon named `name`; false when there is none.
bool remove_lexicon(Xapian::WritableDatabase& db, std::string_view name);

/// Copies every imported lexicon of `from` into `to` (a snapshot's new generation).
void copy_lexicons(const Xapian::Database& from, Xapian::WritableDatabase& to);

/// The curated lexicon's entries and those of every lexicon imported into the database.
std::vector<LexiconEntry> lexicon_entries(const Xapian::Database& db);

/// The corpus's word on two names: true when one record lists both as separate interventions.
DistinctFn corpus_distinct(const Xapian::Database& db);

/// The expander of the database's alias evidence (see AliasExpander).
AliasExpander load_alias_expander(const Xapian::Database& db);

/// Counts of what write_alias_lists() wrote.
struct SynonymCounts {
  std::size_t keys = 0;
  std::size_t largest = 0;  ///< names in the largest drug expansion written
};

/// Rewrites the alias lists from the expander, for the names present in the index. Each name's
/// list (metadata "trialsearch:alias:<key>", so that remote databases carry it too) holds the
/// terms its expansion reaches that the index holds, each marked with the modes it belongs to
/// (AliasMode: strict and on, or on only) and where it applies: free text (the drug-name terms
/// of the expansion and, for a name of one word of four letters or more or a code, its words),
/// the drug: field, or (condition lexicon entries) the condition fields, whose terms are whole
/// listed conditions only. Keys over kMaxAliasKeyBytes are left out. Xapian's synonym table
/// gets the On lists (what QueryParser expands with); Strict drops the rest after parsing
/// (alias_terms_excluded()).
SynonymCounts write_alias_lists(Xapian::WritableDatabase& db, const AliasExpander& expander);

/// Number of alias lists in the database.
std::size_t alias_list_count(const Xapian::Database& db);

/// Where an alias list's term applies.
enum class AliasScope : char { Text = 't', DrugField = 'f', ConditionField = 'c' };

/// The terms of a name's alias list (synonym_key() form) for a mode and scope.
std::vector<std::string> alias_terms(const Xapian::Database& db, std::string_view key,
                                     AliasMode mode, AliasScope scope);

/// The terms that `mode` must not add for the names in `text` (a normalised query): the terms
/// that only On reaches, for every run of one to four words of the text that has an alias list.
/// Empty for On; every listed term for Off.
std::set<std::string> alias_terms_excluded(const Xapian::Database& db, std::string_view text,
                                           AliasMode mode);

/// Longest alias key, in bytes: with the metadata key's prefix or a field prefix it stays
/// within Xapian's key limit (kMaxSynonymKeyBytes).
inline constexpr std::size_t kMaxAliasKeyBytes = 200;

/// The synonym key QueryParser looks up for an alias key: its words joined by single spaces,
/// or empty when the key has characters the QueryParser would split on (such keys are
/// reached through the drug-name terms instead).
std::string synonym_key(std::string_view alias_key);

}  // namespace trialsearch
