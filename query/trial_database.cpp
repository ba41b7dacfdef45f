#include "query/trial_database.hpp"

#include <filesystem>

#include <fmt/format.h>

#include "analyzers/fields.hpp"
#include "indexer/errors.hpp"
#include "indexer/index_writer.hpp"

namespace trialsearch {

Xapian::Database open_database(const std::string& path) {
  if (!std::filesystem::exists(path))
    throw RuntimeError(fmt::format(
        "no trialsearch database at {}: build one with `trialsearch index --db {} SOURCE...`", path,
        path));
  Xapian::Database db;
  try {
    db = Xapian::Database(path);
  } catch (const Xapian::DatabaseNotFoundError&) {
    throw RuntimeError(fmt::format(
        "{} is not a trialsearch database: build one with `trialsearch index --db {} SOURCE...`",
        path, path));
  } catch (const Xapian::DatabaseError& e) {
    throw RuntimeError(fmt::format("cannot read database {}: {}", path, e.get_msg()));
  }
  std::string schema = db.get_metadata(std::string(kMetaSchema));
  if (schema != kSchemaVersion)
    throw RuntimeError(fmt::format(
        "database {} was built with schema '{}' but this trialsearch reads '{}': reindex with "
        "`trialsearch index --db {} SOURCE...` into a new folder",
        path, schema.empty() ? "unknown" : schema, kSchemaVersion, path));
  return db;
}

}  // namespace trialsearch
