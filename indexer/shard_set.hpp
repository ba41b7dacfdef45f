/// @brief A shard set: the live database split by NCT id into N shard databases and one tables
/// database, named by one stub, so that several machines can serve it (Xapian's xapian-tcpsrv)
/// and every read command reads it as one database.
///
///   OUT/XAPIANDB     "auto tables", "auto shard-0" ... "auto shard-N-1": the local stub
///   OUT/tables/      metadata (schema, aliases, lexicons, data timestamp...), synonyms and
///                    spelling of the whole index; no documents. Xapian's remote protocol
///                    carries neither synonyms nor spelling, so a reader keeps this one local.
///   OUT/shard-K/     the trials whose NCT id falls in shard K (shard_of), with their terms,
///                    values and records
///   OUT/write.lock   the one writer
///
/// Each of tables/ and shard-K/ is a database folder with generations (generations.hpp), so
/// xapian-tcpsrv, xapian-replicate and trialsearch follow its stub. A client machine writes its
/// own stub: "auto tables" (a copy of OUT/tables, e.g. replicated) then one "remote HOST:PORT"
/// line per shard, in any order. Readers check that a stub names the tables first and every
/// shard of one set once (ShardRole in each database's metadata), so that a missing or repeated
/// shard is an error, never a partial answer.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace trialsearch {

/// What one database of a shard set is (metadata kMetaShard).
struct ShardRole {
  bool tables = false;  ///< the tables database, else shard `index`
  unsigned index = 0;
  unsigned count = 0;  ///< shards in the set
  std::string set_id;  ///< the set's identity: kept while its count (and so its split) is kept
  bool operator==(const ShardRole&) const = default;
};

/// "tables/N/SETID" or "K/N/SETID".
std::string format_role(const ShardRole& role);
/// nullopt for anything else (a database outside a shard set has no role).
std::optional<ShardRole> parse_role(std::string_view text);

/// Most shards in a set.
inline constexpr unsigned kMaxShards = 63;

/// The shard of a trial: FNV-1a of its NCT id modulo `count`; the same on every machine and
/// release, so that a trial stays in its shard across generations and a reader that opens the
/// shards while they are updated one after the other never sees a trial twice or not at all.
unsigned shard_of(std::string_view nct_id, unsigned count);

struct ShardSyncOptions {
  std::string db;      ///< the live database the set is made from (a trialsearch database folder)
  std::string out;     ///< the shard set's folder
  unsigned count = 0;  ///< shards; 0 = the set's present count
  double wait_seconds = 0;  ///< for the writer locks of `db` and `out`
  unsigned keep = 1;        ///< older generations of each folder kept
};

struct ShardSyncSummary {
  unsigned count = 0;
  std::string set_id;
  bool rebuilt = false;  ///< every shard written anew (a new set, another count or schema)
  std::uint64_t documents = 0;
  std::uint64_t added = 0, replaced = 0, removed = 0, unchanged = 0;
  double seconds = 0;
};

/// Brings the shard set at `out` up to the live database at `db`: a new set (or a set of
/// another count or schema) is written as new generations of every folder, published one
/// folder after the other; an existing one is updated in place, one commit per shard: trials
/// added or whose content hash changed are copied from `db`, trials gone from it removed; then
/// the tables are written anew (a new generation). Holds the writer locks of both folders.
/// Throws RuntimeError (LockedError when another writer holds a lock).
ShardSyncSummary sync_shards(const ShardSyncOptions& options);

/// The folder name of shard `index` ("shard-3") and of the tables ("tables").
std::string shard_folder_name(unsigned index);
inline constexpr std::string_view kTablesFolderName = "tables";

}  // namespace trialsearch
