#include "cli/commands.hpp"

namespace trialsearch::cli {

void add_db_option(CLI::App& sub, DbOptions& options) {
  // An empty --db (an unset shell variable: --db "$DIR") must not quietly mean the default
  // database.
  sub.add_option(
         "--db", options.db,
         "database directory (default: $TRIALSEARCH_DB, else ~/.local/share/trialsearch/db)")
      ->check([](const std::string& value) {
        return value.empty() ? std::string("an empty --db names no folder") : std::string();
      });
}

}  // namespace trialsearch::cli
