/// @brief Which database a command uses: --db, else $TRIALSEARCH_DB, else the user's data
/// directory.
#pragma once

#include <string>

namespace trialsearch {

/// `explicit_db` when non-empty; else $TRIALSEARCH_DB; else $XDG_DATA_HOME/trialsearch/db;
/// else $HOME/.local/share/trialsearch/db.
std::string resolve_db_path(const std::string& explicit_db);

}  // namespace trialsearch
