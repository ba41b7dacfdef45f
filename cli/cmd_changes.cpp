// trialsearch changes: what each index run changed (new trials, removed trials, status changes).
#include <fmt/format.h>

#include <filesystem>
#include <memory>
#include <regex>

#include "analyzers/errors.hpp"
#include "cli/commands.hpp"
#include "indexer/change_log.hpp"
#include "indexer/db_path.hpp"
#include "indexer/index_writer.hpp"
#include "indexer/json_writer.hpp"
#include "query/trial_database.hpp"

namespace trialsearch::cli {
namespace {

struct ChangesOptions {
  DbOptions db;
  std::string since;
  bool json = false;
};

void print_human(const std::vector<ChangeEntry>& entries) {
  for (const auto& c : entries) {
    fmt::print("{}  {:<8} {}{} documents: {} added, {} removed, {} replaced, {} status changes\n",
               c.time, c.mode, c.generation.empty() ? "" : c.generation + "  ", c.documents,
               c.added_count, c.removed_count, c.replaced_count, c.status_changes.size());
    for (const auto& id : c.added) fmt::print("  + {}\n", id);
    for (const auto& id : c.removed) fmt::print("  - {}\n", id);
    for (const auto& s : c.status_changes)
      fmt::print("  ~ {} {} -> {}\n", s.id, s.from.empty() ? "(none)" : s.from,
                 s.to.empty() ? "(none)" : s.to);
  }
}

int run_changes(const ChangesOptions& o) {
  std::string path = resolve_db_path(o.db.db);
  if (!std::filesystem::exists(path)) throw no_database_error(path);
  static const std::regex kDate(R"(\d{4}(-\d{2}(-\d{2}(T\d{2}(:\d{2}(:\d{2}Z?)?)?)?)?)?)");
  if (!o.since.empty() && !std::regex_match(o.since, kDate))
    throw UsageError(fmt::format("--since {}: expected a date such as 2026-11-29", o.since));
  auto entries = read_changes(path, o.since);
  // An upsert that committed trials and did not finish: listed until the next run logs it.
  auto pending = pending_change(open_database(path), path);
  if (pending && std::string_view(pending->time).substr(0, o.since.size()) >= o.since) {
    pending->mode = "unfinished";
    entries.push_back(std::move(*pending));
  }
  if (o.json) {
    JsonWriter w;
    w.begin_object().key("database").value(path).key("changes").begin_array();
    for (const auto& c : entries) w.raw(change_to_json(c));
    w.end_array().end_object();
    fmt::print("{}\n", w.str());
    return kExitOk;
  }
  if (entries.empty())
    fmt::print(stderr, "no changes recorded{} in {}\n", o.since.empty() ? "" : " since " + o.since,
               change_log_path(path));
  print_human(entries);
  return kExitOk;
}

}  // namespace

void setup_changes(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<ChangesOptions>();
  auto* sub = app.add_subcommand(
      "changes", "List what index runs changed: new and removed trials, status changes");
  add_db_option(*sub, o->db);
  sub->add_option("--since", o->since, "only runs at or after DATE (YYYY-MM-DD[THH:MM:SS])");
  sub->add_flag("--json", o->json, "one JSON object: {\"changes\": [run, ...]}");
  sub->callback([o, &exit_code] { exit_code = run_changes(*o); });
}

}  // namespace trialsearch::cli
