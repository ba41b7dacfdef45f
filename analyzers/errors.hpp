/// @brief The error kinds every command can end with, each mapped to one documented exit code.
#pragma once

#include <stdexcept>
#include <string>

namespace trialsearch {

/// Exit codes, documented in `trialsearch --help` and the README.
enum ExitCode : int {
  kExitOk = 0,       ///< success, zero hits included
  kExitRuntime = 1,  ///< missing or unreadable database, I/O, unknown id
  kExitUsage = 2,    ///< bad options or query syntax
  kExitLocked = 3,   ///< another writer holds the database lock
  kExitPartial = 4,  ///< index finished, but some inputs were skipped as malformed
};

/// Bad options or query syntax: exit 2.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Missing database, I/O failure, unknown id: exit 1.
struct RuntimeError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// A record stored in the database that cannot be decoded (a damaged database): exit 1; readers
/// report it naming the database (with_database).
struct CorruptRecordError : RuntimeError {
  using RuntimeError::RuntimeError;
};

/// Another writer holds the database: exit 3.
struct LockedError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace trialsearch
