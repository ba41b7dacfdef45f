// trialsearch: full-text search over clinical-trial records. The one place errors are caught.
#include <fmt/format.h>
#include <xapian.h>
#include <CLI/CLI.hpp>

#include <cstdio>
#include <exception>

#include "cli/commands.hpp"
#include "indexer/errors.hpp"

namespace {

constexpr const char* kFooter = R"(Exit codes:
  0  success (a search with zero hits included)
  1  runtime error: missing or unreadable database, I/O error, unknown NCT id
  2  usage error: bad option, bad query syntax
  3  the database is locked by another writer (see `index --wait`)
  4  index: finished, but some inputs were skipped as malformed (see the summary)

The database is --db DIR, else $TRIALSEARCH_DB, else $XDG_DATA_HOME/trialsearch/db
(~/.local/share/trialsearch/db).)";

}  // namespace

int main(int argc, char** argv) {
  using namespace trialsearch;
  CLI::App app{"trialsearch: search clinical-trial records offline", "trialsearch"};
  app.footer(kFooter);
  app.require_subcommand(1);
  app.set_version_flag("--version", "trialsearch 0.1.0");
  int exit_code = kExitOk;
  cli::setup_index(app, exit_code);
  cli::setup_search(app, exit_code);
  cli::setup_similar(app, exit_code);
  cli::setup_show(app, exit_code);
  cli::setup_stats(app, exit_code);
  cli::setup_aliases(app, exit_code);
  cli::setup_changes(app, exit_code);
  cli::setup_rollback(app, exit_code);
  cli::setup_validate(app, exit_code);

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
