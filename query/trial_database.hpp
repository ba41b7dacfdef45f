/// @brief Opening a trialsearch database for reading: clear messages for a missing or foreign
/// database, and retries across a writer's commits.
#pragma once

#include <xapian.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "analyzers/errors.hpp"
#include "indexer/generations.hpp"

namespace trialsearch {

/// The error for a --db path where there is no database: says how to build one.
RuntimeError no_database_error(const std::string& path);

/// Opens the database at `path` (a database folder or a stub file) for reading. Throws
/// RuntimeError when there is none ("... build one with `trialsearch index --db PATH SOURCE...`"),
/// when it cannot be read, or when it was built with another schema version ("... reindex").
Xapian::Database open_database(const std::string& path);

/// Whether `db` is a shard set opened whole (its first database the set's tables): Xapian's
/// remote protocol then carries neither a MatchSpy of ours nor value streams at speed (each
/// value a round trip), so the readers take what they need from them another way.
bool is_shard_set(const Xapian::Database& db);

/// One database a shard set's stub names, as `stats` shows it.
struct ShardStatus {
  std::string label;  ///< its folder's name, or HOST:PORT
  std::string role;   ///< its kMetaShard ("tables/N/SET", "K/N/SET")
  bool up = false;
  std::uint64_t documents = 0;
  std::string error;  ///< why it could not be opened (down)
};

/// Each database a shard set's stub names, opened alone (empty for a database that is not a
/// shard set): the ones that cannot be opened are down, with why.
std::vector<ShardStatus> shard_statuses(const std::string& path);

/// Runs `work` on a freshly opened database; when a writer's commit invalidates what it reads
/// (DatabaseModifiedError), reopens and runs the whole of `work` again, a few times at most.
/// Xapian's errors of a damaged database become a RuntimeError naming it.
template <typename F>
auto with_database(const std::string& path, F&& work) {
  constexpr int kAttempts = 5;
  for (int attempt = 1;; ++attempt) {
    Xapian::Database db = open_database(path);
    try {
      return work(db);
    } catch (const Xapian::DatabaseModifiedError&) {
      if (attempt == kAttempts) throw;
    } catch (const Xapian::NetworkError& e) {  // a remote shard (shard set) stopped answering
      throw RuntimeError(
          fmt::format("a shard of {} stopped answering: {}", path, e.get_description()));
    } catch (const Xapian::DatabaseError& e) {
      throw damaged_database_error(path, e.get_description());
    } catch (const Xapian::DocNotFoundError& e) {  // a posting for a document that is not there
      throw damaged_database_error(path, e.get_description());
    } catch (const CorruptRecordError& e) {
      throw damaged_database_error(path, e.what());
    }
  }
}

}  // namespace trialsearch
