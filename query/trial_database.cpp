#include "query/trial_database.hpp"

#include <chrono>
#include <filesystem>
#include <thread>

#include <fmt/format.h>

#include "analyzers/db_metadata.hpp"
#include "analyzers/errors.hpp"
#include "analyzers/fields.hpp"
#include "indexer/generations.hpp"

namespace trialsearch {
namespace {

// A database folder with generations is opened at the generation its stub names (checked:
// generations.hpp; Xapian never reads a stub, and opens only a glass database folder). A
// snapshot that switches the stub and prunes an old generation between our reading the stub and
// opening the generation it named makes that open fail: the stub then names a newer one, so try
// again.
Xapian::Database open_following_stub(const std::string& path) {
  constexpr int kAttempts = 5;
  for (int attempt = 1;; ++attempt) {
    std::string folder = live_database_path(path);
    try {
      return Xapian::Database(folder, Xapian::DB_BACKEND_GLASS);
    } catch (const Xapian::DatabaseOpeningError&) {
      if (attempt == kAttempts || folder == path || live_database_path(path) == folder) throw;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

}  // namespace

RuntimeError no_database_error(const std::string& path) {
  return RuntimeError(fmt::format(
      "no trialsearch database at {}: build one with `trialsearch index --db {} SOURCE...`", path,
      path));
}

Xapian::Database open_database(const std::string& path) {
  if (!std::filesystem::exists(path)) throw no_database_error(path);
  Xapian::Database db;
  try {
    db = open_following_stub(path);
  } catch (const Xapian::DatabaseNotFoundError&) {
    throw RuntimeError(fmt::format(
        "{} is not a trialsearch database: build one with `trialsearch index --db {} SOURCE...`",
        path, path));
  } catch (const Xapian::DatabaseError& e) {
    throw damaged_database_error(path, e.get_description());
  }
  std::string schema;
  try {
    schema = db.get_metadata(std::string(kMetaSchema));
  } catch (const Xapian::DatabaseError& e) {
    throw damaged_database_error(path, e.get_description());
  }
  if (schema != kSchemaVersion)
    throw RuntimeError(fmt::format(
        "database {} was built with schema '{}' but this trialsearch reads '{}': reindex with "
        "`trialsearch index --snapshot --db {} SOURCE...` (or into a new folder)",
        path, schema.empty() ? "unknown" : schema, kSchemaVersion, path));
  return db;
}

}  // namespace trialsearch
