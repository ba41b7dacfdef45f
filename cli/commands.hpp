/// @brief The subcommands: each file adds one to the app and runs it; only main catches errors.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

#include "query/trial_query_parser.hpp"

namespace trialsearch::cli {

/// Options every database command shares.
struct DbOptions {
  std::string db;
};

/// Adds --db to a subcommand.
void add_db_option(CLI::App& sub, DbOptions& options);

/// Adds the filter flags shared by search and similar (--status, --phase, --age...).
void add_filter_options(CLI::App& sub, SearchFilters& filters);

// Each setup_* adds its subcommand to `app`; when it is chosen, its run sets `exit_code`.
void setup_index(CLI::App& app, int& exit_code);
void setup_fetch(CLI::App& app, int& exit_code);
void setup_search(CLI::App& app, int& exit_code);
void setup_similar(CLI::App& app, int& exit_code);
void setup_show(CLI::App& app, int& exit_code);
void setup_stats(CLI::App& app, int& exit_code);
void setup_aliases(CLI::App& app, int& exit_code);
void setup_changes(CLI::App& app, int& exit_code);
void setup_rollback(CLI::App& app, int& exit_code);
void setup_validate(CLI::App& app, int& exit_code);

}  // namespace trialsearch::cli
