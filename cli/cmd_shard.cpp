// trialsearch shard: the database split by NCT id into a shard set that several machines serve.
#include <fmt/format.h>

#include <memory>
#include <string>

#include "cli/commands.hpp"
#include "indexer/db_path.hpp"
#include "indexer/json_writer.hpp"
#include "indexer/shard_set.hpp"

namespace trialsearch::cli {
namespace {

struct ShardOptions {
  DbOptions db;
  std::string out;
  unsigned shards = 0;
  double wait = 0;
  unsigned keep = 1;
  bool json = false;
};

int run_shard(const ShardOptions& o) {
  ShardSyncOptions options;
  options.db = resolve_db_path(o.db.db);
  options.out = o.out;
  options.count = o.shards;
  options.wait_seconds = o.wait;
  options.keep = o.keep;
  const ShardSyncSummary s = sync_shards(options);
  if (o.json) {
    JsonWriter w;
    w.begin_object()
        .key("shards")
        .value(s.count)
        .key("set")
        .value(s.set_id)
        .key("rebuilt")
        .value(s.rebuilt)
        .key("documents")
        .value(s.documents)
        .key("added")
        .value(s.added)
        .key("replaced")
        .value(s.replaced)
        .key("removed")
        .value(s.removed)
        .key("unchanged")
        .value(s.unchanged)
        .key("seconds")
        .value(s.seconds)
        .end_object();
    fmt::print("{}\n", w.take());
  }
  fmt::print(stderr,
             "trialsearch: shard set {} ({} shards, set {}){}: {} documents; {} added, {} "
             "replaced, {} removed, {} unchanged in {:.1f} s\n",
             o.out, s.count, s.set_id, s.rebuilt ? " written anew" : " updated", s.documents,
             s.added, s.replaced, s.removed, s.unchanged, s.seconds);
  return 0;
}

}  // namespace

void setup_shard(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<ShardOptions>();
  auto* sub = app.add_subcommand(
      "shard",
      "Split the database by NCT id into a shard set (OUT: a tables database and N shards, each "
      "a folder xapian-tcpsrv can serve, and a stub naming them), or bring an existing set up "
      "to the database");
  add_db_option(*sub, o->db);
  sub->add_option("--out", o->out, "the shard set's folder")->required();
  sub->add_option("--shards", o->shards,
                  fmt::format("shards (1 to {}; a new set needs it; another count than the "
                              "set's writes the set anew)",
                              kMaxShards))
      ->check(CLI::Range(1U, kMaxShards));
  sub->add_option("--wait", o->wait,
                  "seconds to wait for another writer's lock (default 0: fail at once)");
  sub->add_option("--keep", o->keep, "older generations kept in each folder (default 1)");
  sub->add_flag("--json", o->json, "print the summary as JSON on stdout");
  sub->callback([o, &exit_code] { exit_code = run_shard(*o); });
}

}  // namespace trialsearch::cli
