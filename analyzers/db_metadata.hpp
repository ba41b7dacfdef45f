/// @brief Every key trialsearch stores in a database's metadata, declared once.
#pragma once

#include <string_view>

namespace trialsearch {

inline constexpr std::string_view kMetaSchema = "trialsearch:schema";     ///< schema version
inline constexpr std::string_view kMetaBuilt = "trialsearch:built";       ///< last run's time
inline constexpr std::string_view kMetaSources = "trialsearch:sources";   ///< last run's sources
inline constexpr std::string_view kMetaAliases = "trialsearch:aliases";   ///< harvested graph
inline constexpr std::string_view kMetaLastRun = "trialsearch:last-run";  ///< last summary
/// The change entry of an upsert that has committed documents and not finished (killed or
/// failed): merged into the next upsert's entry, listed by `changes` until then.
inline constexpr std::string_view kMetaPendingChange = "trialsearch:pending-change";
inline constexpr std::string_view kMetaLexicons = "trialsearch:lexicons";  ///< imported list
/// The API v2 dataTimestamp the index is current to (`fetch`; stored only with a run's last
/// commit, so an interrupted run starts again from the same date), and the last reconciliation's.
inline constexpr std::string_view kMetaDataTimestamp = "trialsearch:api-data-timestamp";
inline constexpr std::string_view kMetaReconciled = "trialsearch:api-reconciled";
/// What a database of a shard set is: "tables/N/SETID" or "K/N/SETID" (indexer/shard_set.hpp).
inline constexpr std::string_view kMetaShard = "trialsearch:shard";
/// + a lexicon's name: its entries.
inline constexpr std::string_view kMetaLexiconPrefix = "trialsearch:lexicon:";
/// + an alias key: that name's alias list.
inline constexpr std::string_view kMetaAliasPrefix = "trialsearch:alias:";

}  // namespace trialsearch
