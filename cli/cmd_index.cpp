// trialsearch index: read sources into the database.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <memory>

#include <fmt/format.h>

#include "analyzers/errors.hpp"
#include "cli/commands.hpp"
#include "cli/writer_process.hpp"
#include "indexer/db_path.hpp"
#include "indexer/index_writer.hpp"

namespace trialsearch::cli {
namespace {

struct IndexCommandOptions {
  DbOptions db;
  std::vector<std::string> sources;
  std::vector<std::string> lexicons;
  std::vector<std::string> remove_lexicons;
  bool json = false;
  bool quiet = false;
  unsigned threads = 0;
  double wait = 0;
  bool snapshot = false;
  unsigned keep = 1;
  double max_removed = 10;
};

// "indexing: 41% 12000 records, 150 records/s, 80 s, about 2 min left" (the share and the
// time left only when the sources' size is known).
std::string progress_line(const IndexProgress& p) {
  double rate = p.seconds > 0 ? p.records / p.seconds : 0;
  std::string line = "indexing: ";
  if (p.bytes_total > 0)
    line += fmt::format("{:.0f}% ", 100.0 * std::min(p.bytes_done, p.bytes_total) / p.bytes_total);
  line += fmt::format("{} records, {:.0f} records/s, {:.0f} s", p.records, rate, p.seconds);
  if (p.bytes_total > 0 && p.bytes_done > 0 && p.bytes_done < p.bytes_total && p.seconds > 5) {
    double left = p.seconds * static_cast<double>(p.bytes_total - p.bytes_done) / p.bytes_done;
    line += left < 90 ? fmt::format(", about {:.0f} s left", left)
                      : fmt::format(", about {:.0f} min left", left / 60);
  }
  return line;
}

int run_index(const IndexCommandOptions& o) {
  IndexOptions options;
  options.db_path = resolve_db_path(o.db.db);
  options.lexicons = o.lexicons;
  options.remove_lexicons = o.remove_lexicons;
  if (o.sources.empty() && o.lexicons.empty() && o.remove_lexicons.empty())
    throw UsageError("index: give SOURCE... to read, or --lexicon / --remove-lexicon");
  // A crash inside Xapian on a damaged database ends the child, not this process: it is
  // reported, naming the database (Xapian 1.4 can crash committing into damaged tables).
  if (auto code = write_in_child_process(options.db_path)) return *code;
  options.threads = o.threads;
  options.wait_seconds = o.wait;
  options.snapshot = o.snapshot;
  options.keep = o.keep;
  options.max_removed_share = o.max_removed / 100.0;
  const bool tty = isatty(STDERR_FILENO) && !o.quiet;
  IndexCallbacks callbacks;
  callbacks.skipped = [&](std::string_view message) {
    if (!o.quiet) fmt::print(stderr, "{}trialsearch: {}\n", tty ? "\r\033[K" : "", message);
  };
  if (tty) {
    callbacks.progress = [](const IndexProgress& p) {
      fmt::print(stderr, "\r\033[K{}", progress_line(p));
      std::fflush(stderr);
    };
  }
  IndexSummary s = index_sources(o.sources, options, callbacks);
  if (tty) fmt::print(stderr, "\r\033[K");
  if (!o.quiet) {
    fmt::print(stderr,
               "indexed {} into {}{}: {} read, {} added, {} replaced, {} unchanged, {} removed, "
               "{} skipped{}; {} status changes; {} documents; {:.1f} s\n",
               s.inputs == 1 ? "1 input" : fmt::format("{} inputs", s.inputs), options.db_path,
               s.generation.empty() ? "" : " (" + s.generation + ")", s.read, s.added, s.replaced,
               s.unchanged, s.removed, s.skipped,
               s.duplicates ? fmt::format(", {} read twice (the newest kept)", s.duplicates) : "",
               s.status_changes, s.documents, s.seconds);
    for (const auto& [reason, n] : s.skip_reasons)
      fmt::print(stderr, "  skipped {}x: {}\n", n, reason);
  }
  if (o.json) fmt::print("{}\n", summary_to_json(s));
  // an input that could not be read (missing, unreadable, truncated) is an I/O error; a
  // malformed record in a readable input is a partial success
  if (s.input_errors) return kExitRuntime;
  return s.skipped ? kExitPartial : kExitOk;
}

}  // namespace

void setup_index(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<IndexCommandOptions>();
  auto* sub = app.add_subcommand(
      "index", "Read trial records into the database (adds, replaces, skips unchanged)");
  add_db_option(*sub, o->db);
  sub->add_option("sources", o->sources,
                  "files, folders, zip archives, or - for NDJSON on standard input (none with only "
                  "--lexicon or --remove-lexicon)");
  sub->add_option("--lexicon", o->lexicons,
                  "import drug aliases: DrugBank open vocabulary CSV, Drugs@FDA products TSV, or "
                  "an aliases.tsv; kept in the database (by file name) by every later run (one "
                  "file per --lexicon; repeat it for more)")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->allow_extra_args(false);
  sub->add_option("--remove-lexicon", o->remove_lexicons,
                  "remove an imported lexicon, by the name `trialsearch stats` lists")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->allow_extra_args(false);
  sub->add_flag("--json", o->json, "print the summary as JSON on stdout");
  sub->add_flag("-q,--quiet", o->quiet,
                "no progress, no per-record messages, no summary on stderr");
  sub->add_option("--threads", o->threads, "document builder threads (default: one per core)");
  sub->add_option("--wait", o->wait,
                  "seconds to wait for another writer's lock (default 0: fail at once)");
  sub->add_flag("--snapshot", o->snapshot,
                "the sources are complete: build a new generation, remove trials absent from "
                "them, switch readers to it atomically");
  sub->add_option("--keep", o->keep,
                  "with --snapshot: older generations kept for rollback (default 1)")
      ->check(CLI::Range(0u, 100u));
  sub->add_option("--max-removed", o->max_removed,
                  "with --snapshot: refuse to publish when more than PCT% of the trials would be "
                  "removed (default 10)")
      ->check(CLI::Range(0.0, 100.0));
  sub->callback([o, &exit_code] { exit_code = run_index(*o); });
}

}  // namespace trialsearch::cli
