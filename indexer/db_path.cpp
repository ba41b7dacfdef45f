#include "indexer/db_path.hpp"

#include <cstdlib>

namespace trialsearch {

std::string resolve_db_path(const std::string& explicit_db) {
  if (!explicit_db.empty()) return explicit_db;
  if (const char* env = std::getenv("TRIALSEARCH_DB"); env && *env) return env;
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg)
    return std::string(xdg) + "/trialsearch/db";
  const char* home = std::getenv("HOME");
  return std::string(home && *home ? home : ".") + "/.local/share/trialsearch/db";
}

}  // namespace trialsearch
