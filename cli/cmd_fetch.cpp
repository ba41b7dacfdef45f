// trialsearch fetch: bring the database up to date from ClinicalTrials.gov's API v2.
#include <cstdlib>
#include <memory>

#include <fmt/format.h>

#include "analyzers/errors.hpp"
#include "cli/commands.hpp"
#include "indexer/api_fetch.hpp"
#include "indexer/db_path.hpp"

namespace trialsearch::cli {
namespace {

struct FetchCommandOptions {
  DbOptions db;
  std::string api;
  bool full = false;
  double reconcile_days = 7;
  double max_removed = 10;
  unsigned retries = 5;
  double timeout = 300;
  double max_wait = 600;
  unsigned page_size = 1000;
  unsigned threads = 0;
  double wait = 0;
  bool json = false;
  bool quiet = false;
};

int run_fetch(const FetchCommandOptions& o) {
  FetchOptions options;
  options.index.db_path = resolve_db_path(o.db.db);
  options.index.threads = o.threads;
  options.index.wait_seconds = o.wait;
  options.index.max_removed_share = o.max_removed / 100.0;
  const char* env = std::getenv("TRIALSEARCH_API");
  options.api.base_url = !o.api.empty() ? o.api : env && *env ? env : std::string(kDefaultApiBase);
  options.api.retries = o.retries;
  options.api.timeout_seconds = o.timeout;
  options.api.max_wait_seconds = o.max_wait;
  options.api.backoff_seconds = std::min(options.api.backoff_seconds, o.max_wait);
  options.full = o.full;
  options.reconcile_days = o.reconcile_days;
  options.page_size = o.page_size;
  auto say = [&](std::string_view message) {
    if (!o.quiet) fmt::print(stderr, "trialsearch: {}\n", message);
  };
  IndexCallbacks callbacks;
  callbacks.skipped = say;
  FetchSummary s = fetch_from_api(options, callbacks, say);
  if (o.json) fmt::print("{}\n", fetch_summary_to_json(s));
  if (s.current) {
    if (!o.quiet)
      fmt::print(stderr, "fetch: the index is current to the API's data of {}: nothing to do\n",
                 s.data_timestamp);
    return kExitOk;
  }
  const IndexSummary& i = s.index;
  if (!o.quiet)
    fmt::print(stderr,
               "fetched {} page{} ({} requests) updated since {} into {}{}: {} added, {} "
               "replaced, {} unchanged, {} removed, {} skipped; {} status changes; {} documents; "
               "current to {}; {:.1f} s\n",
               s.pages, s.pages == 1 ? "" : "s", s.requests, s.since.empty() ? "ever" : s.since,
               options.index.db_path, i.generation.empty() ? "" : " (" + i.generation + ")",
               i.added, i.replaced, i.unchanged, i.removed, i.skipped, i.status_changes,
               i.documents, s.data_timestamp, i.seconds);
  if (!o.quiet && s.reconciled)
    fmt::print(stderr, "reconciled with the registry's {} ids: {} removed, {} missing fetched\n",
               s.registry_ids, i.removed, s.missing);
  return i.skipped ? kExitPartial : kExitOk;
}

}  // namespace

void setup_fetch(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<FetchCommandOptions>();
  auto* sub = app.add_subcommand(
      "fetch",
      "Update the database from ClinicalTrials.gov's API v2: the studies updated since the last "
      "fetch, and once a week a reconciliation that removes trials the registry no longer lists");
  add_db_option(*sub, o->db);
  sub->add_option(
      "--api", o->api,
      fmt::format("the API's base address (default: $TRIALSEARCH_API, else {})", kDefaultApiBase));
  sub->add_flag("--full", o->full,
                "fetch even if the API's data has not changed, and reconcile with the "
                "registry's complete id list now");
  sub->add_option("--reconcile-days", o->reconcile_days,
                  "reconcile by itself when the last reconciliation is this many days old "
                  "(default 7; 0: only with --full)")
      ->check(CLI::Range(0.0, 3650.0));
  sub->add_option("--max-removed", o->max_removed,
                  "refuse a reconciliation that would remove more than PCT% of the trials "
                  "(default 10)")
      ->check(CLI::Range(0.0, 100.0));
  sub->add_option("--retries", o->retries,
                  "further attempts after a 429, a 5xx, a cut or malformed response (default 5)")
      ->check(CLI::Range(0u, 100u));
  sub->add_option("--timeout", o->timeout, "seconds a request may take (default 300)")
      ->check(CLI::PositiveNumber);
  sub->add_option("--max-wait", o->max_wait,
                  "seconds waited at most before a retry, Retry-After included (default 600; "
                  "the back-off starts at 2 s and doubles)")
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--page-size", o->page_size, "studies per request (default 1000, the API's most)")
      ->check(CLI::Range(1u, 1000u));
  sub->add_option("--threads", o->threads, "document builder threads (default: one per core)");
  sub->add_option("--wait", o->wait,
                  "seconds to wait for another writer's lock (default 0: fail at once)");
  sub->add_flag("--json", o->json, "print the summary as JSON on stdout");
  sub->add_flag("-q,--quiet", o->quiet, "no messages on stderr but errors");
  sub->callback([o, &exit_code] { exit_code = run_fetch(*o); });
}

}  // namespace trialsearch::cli
