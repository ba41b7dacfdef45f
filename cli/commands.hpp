/// @brief The subcommands: each file adds one to the app and runs it; only main catches errors.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

#include "query/searcher.hpp"
#include "query/trial_query_parser.hpp"

namespace trialsearch::cli {

/// Options every database command shares.
struct DbOptions {
  std::string db;
};

/// Adds --db to a subcommand.
void add_db_option(CLI::App& sub, DbOptions& options);

/// How a SearchResult is printed (search, match): one of the formats, or the human one.
struct ResultFormat {
  bool json = false, jsonl = false, csv = false, ids = false;
  std::string explain;  ///< empty, "summary" or "full"
};

/// Adds --limit, --offset and --facets; returns --facets.
CLI::Option* add_page_options(CLI::App& sub, SearchOptions& options);

/// Adds --explain, --json, --jsonl, --csv and --ids (the last three exclude `facets`).
void add_result_format_options(CLI::App& sub, ResultFormat& format, CLI::Option* facets,
                               const std::string& explain_help);

/// Sets what `format` needs in `options` (explanations, records, highlighting); a UsageError
/// for two formats at once.
void prepare_output(SearchOptions& options, const ResultFormat& format);

/// Prints `result` as `format` says; `json` is the whole --json document.
void print_result(const SearchResult& result, const SearchOptions& options,
                  const ResultFormat& format, const std::string& json);

/// Adds the filter flags shared by search and similar (--status, --phase, --age...).
void add_filter_options(CLI::App& sub, SearchFilters& filters);

// Each setup_* adds its subcommand to `app`; when it is chosen, its run sets `exit_code`.
void setup_index(CLI::App& app, int& exit_code);
void setup_fetch(CLI::App& app, int& exit_code);
void setup_search(CLI::App& app, int& exit_code);
void setup_match(CLI::App& app, int& exit_code);
void setup_similar(CLI::App& app, int& exit_code);
void setup_show(CLI::App& app, int& exit_code);
void setup_stats(CLI::App& app, int& exit_code);
void setup_aliases(CLI::App& app, int& exit_code);
void setup_changes(CLI::App& app, int& exit_code);
void setup_rollback(CLI::App& app, int& exit_code);
void setup_shard(CLI::App& app, int& exit_code);
void setup_validate(CLI::App& app, int& exit_code);

}  // namespace trialsearch::cli
