#include "cli/commands.hpp"

namespace trialsearch::cli {

void add_db_option(CLI::App& sub, DbOptions& options) {
  sub.add_option(
      "--db", options.db,
      "database directory (default: $TRIALSEARCH_DB, else ~/.local/share/trialsearch/db)");
}

}  // namespace trialsearch::cli
