// trialsearch stats: what the database holds.
#include <fmt/format.h>

#include <algorithm>
#include <memory>

#include "analyzers/errors.hpp"
#include "analyzers/strings.hpp"
#include "cli/commands.hpp"
#include "cli/terminal.hpp"
#include "indexer/db_path.hpp"
#include "query/db_stats.hpp"
#include "query/trial_database.hpp"

namespace trialsearch::cli {
namespace {

struct StatsOptions {
  DbOptions db;
  bool json = false;
};

void print_shards(const std::vector<ShardStatus>& shards) {
  for (const auto& sh : shards)
    fmt::print("shard        {:<24} {}\n", sh.label,
               sh.up ? fmt::format("up, {} documents ({})", sh.documents, sh.role)
                     : fmt::format("DOWN: {}", sh.error));
}

int run_stats(const StatsOptions& o) {
  std::string path = resolve_db_path(o.db.db);
  // A shard set with a database down: which ones, and exit 1 (never the stats of a part).
  if (auto shards = shard_statuses(path);
      std::any_of(shards.begin(), shards.end(), [](const ShardStatus& s) { return !s.up; })) {
    DbStats partial;
    partial.shards = shards;
    if (o.json)
      fmt::print("{}\n", stats_to_json(partial));
    else
      print_shards(shards);
    const auto down =
        std::count_if(shards.begin(), shards.end(), [](const ShardStatus& s) { return !s.up; });
    fmt::print(stderr, "trialsearch: {} of the {} databases of the shard set {} are down\n", down,
               shards.size(), path);
    return kExitRuntime;
  }
  DbStats s =
      with_database(path, [&](const Xapian::Database& db) { return database_stats(db, path); });
  if (o.json) {
    fmt::print("{}\n", stats_to_json(s));
    return 0;
  }
  fmt::print("database     {}\n", path);
  fmt::print("documents    {}\n", s.documents);
  fmt::print("schema       {}\n", s.schema);
  fmt::print("built        {}\n", s.built);
  if (!s.data_timestamp.empty())
    fmt::print("current to   {} (ClinicalTrials.gov data; reconciled {})\n", s.data_timestamp,
               s.reconciled.empty() ? "never" : s.reconciled);
  fmt::print("sources      {}\n", s.sources_json);
  fmt::print("size on disk {:.1f} MB ({:.1f} MB with {} kept)\n", s.size_bytes / 1e6,
             s.total_size_bytes / 1e6,
             s.generations.size() > 1 ? fmt::format("{} generations", s.generations.size())
                                      : std::string("the change log"));
  if (!s.generation.empty()) fmt::print("generation   {}\n", s.generation);
  print_shards(s.shards);
  fmt::print("aliases      {} links harvested from the records; {} synonym keys\n", s.alias_links,
             s.synonym_keys);
  if (s.lexicons.empty()) fmt::print("lexicons     curated only (none imported)\n");
  for (const auto& l : s.lexicons)
    fmt::print("lexicon      {} ({}, {} entries, imported {} from {})\n", printable(l.name),
               l.format, l.entries, l.imported, printable(l.file));
  fmt::print("by status\n");
  for (const auto& [k, v] : s.by_status) fmt::print("  {:<28}{}\n", k, v);
  fmt::print("by phase\n");
  for (const auto& [k, v] : s.by_phase) fmt::print("  {:<28}{}\n", k, v);
  return 0;
}

}  // namespace

void setup_stats(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<StatsOptions>();
  auto* sub = app.add_subcommand("stats", "Show what the database holds");
  add_db_option(*sub, o->db);
  sub->add_flag("--json", o->json, "one JSON object");
  sub->callback([o, &exit_code] { exit_code = run_stats(*o); });
}

}  // namespace trialsearch::cli
