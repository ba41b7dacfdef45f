// trialsearch: full-text search over clinical-trial records. The one place errors are caught.
#include <fmt/format.h>
#include <xapian.h>
#include <CLI/CLI.hpp>

#include <cstdio>
#include <exception>
#include <string_view>

#include "analyzers/errors.hpp"
#include "cli/commands.hpp"

namespace {

constexpr const char* kFooter = R"(Exit codes:
  0  success (a search with zero hits included)
  1  runtime error: missing, unreadable or damaged database, I/O error, a full disk,
     unknown NCT id, the API failing beyond fetch's retries
  2  usage error: bad option, bad query syntax, a query over 64 words or 16 wildcards
     (plain text: 5000 words), a match description over 5000 words
  3  the database is locked by another writer (see `index --wait`)
  4  index, fetch: finished, but some inputs were skipped as malformed (see the summary)

The database is --db DIR, else $TRIALSEARCH_DB, else $XDG_DATA_HOME/trialsearch/db
(~/.local/share/trialsearch/db).)";

struct Command {
  std::string_view name;
  void (*setup)(CLI::App&, int&);
};

constexpr Command kCommands[] = {
    {"index", trialsearch::cli::setup_index},     {"fetch", trialsearch::cli::setup_fetch},
    {"search", trialsearch::cli::setup_search},   {"match", trialsearch::cli::setup_match},
    {"similar", trialsearch::cli::setup_similar}, {"show", trialsearch::cli::setup_show},
    {"stats", trialsearch::cli::setup_stats},     {"aliases", trialsearch::cli::setup_aliases},
    {"changes", trialsearch::cli::setup_changes}, {"rollback", trialsearch::cli::setup_rollback},
    {"shard", trialsearch::cli::setup_shard},     {"validate", trialsearch::cli::setup_validate},
};

}  // namespace

int main(int argc, char** argv) {
  using namespace trialsearch;
  CLI::App app{"trialsearch: search clinical-trial records offline", "trialsearch"};
  app.footer(kFooter);
  app.require_subcommand(1);
  app.set_version_flag("--version", "trialsearch 0.1.0");
  int exit_code = kExitOk;
  // Building every subcommand's options costs a search about 0.1 ms: when the first argument
  // names one, only that one is set up (help for it, and its errors, are the same); otherwise
  // (--help, --version, a misspelt command) all are, in help order.
  bool named = false;
  for (const auto& c : kCommands)
    if (argc > 1 && std::string_view(argv[1]) == c.name) {
      c.setup(app, exit_code);
      named = true;
    }
  if (!named && (argc < 2 || argv[1][0] != '-')) {
    // CLI11 would only say "A subcommand is required".
    std::string names;
    for (const auto& c : kCommands) names += fmt::format("{}{}", names.empty() ? "" : ", ", c.name);
    if (argc < 2)
      fmt::print(stderr, "trialsearch: a command is required (commands: {}; see --help)\n", names);
    else
      fmt::print(stderr, "trialsearch: unknown command '{}' (commands: {}; see --help)\n", argv[1],
                 names);
    return kExitUsage;
  }
  if (!named)
    for (const auto& c : kCommands) c.setup(app, exit_code);

  try {
    app.parse(argc, argv);
    return exit_code;
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    fmt::print(stderr, "trialsearch: {}\n", e.what());
    return kExitUsage;
  } catch (const UsageError& e) {
    fmt::print(stderr, "trialsearch: {}\n", e.what());
    return kExitUsage;
  } catch (const Xapian::QueryParserError& e) {
    fmt::print(stderr, "trialsearch: query syntax error: {}\n", e.get_msg());
    return kExitUsage;
  } catch (const LockedError& e) {
    fmt::print(stderr, "trialsearch: {}\n", e.what());
    return kExitLocked;
  } catch (const RuntimeError& e) {
    fmt::print(stderr, "trialsearch: {}\n", e.what());
    return kExitRuntime;
  } catch (const Xapian::DatabaseLockError& e) {
    fmt::print(stderr, "trialsearch: database is locked by another writer: {}\n", e.get_msg());
    return kExitLocked;
  } catch (const Xapian::Error& e) {
    fmt::print(stderr, "trialsearch: {}: {}\n", e.get_type(), e.get_msg());
    return kExitRuntime;
  } catch (const std::exception& e) {
    fmt::print(stderr, "trialsearch: {}\n", e.what());
    return kExitRuntime;
  }
}
