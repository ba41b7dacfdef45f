/// @brief Opening a trialsearch database for reading: clear messages for a missing or foreign
/// database, and retries across a writer's commits.
#pragma once

#include <xapian.h>

#include <functional>
#include <string>

#include "analyzers/errors.hpp"
#include "indexer/generations.hpp"

namespace trialsearch {

/// The error for a --db path where there is no database: says how to build one.
RuntimeError no_database_error(const std::string& path);

/// Opens the database at `path` (a database folder or a stub file) for reading. Throws
/// RuntimeError when there is none ("... build one with `trialsearch index --db PATH SOURCE...`"),
/// when it cannot be read, or when it was built with another schema version ("... reindex").
Xapian::Database open_database(const std::string& path);

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
