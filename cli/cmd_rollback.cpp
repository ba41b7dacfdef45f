// trialsearch rollback: switch readers back to an older generation kept by --snapshot.
#include <fmt/format.h>

#include <memory>

#include "analyzers/errors.hpp"
#include "cli/commands.hpp"
#include "indexer/db_path.hpp"
#include "indexer/index_writer.hpp"

namespace trialsearch::cli {
namespace {

struct RollbackOptions {
  DbOptions db;
  std::string to;
  double wait = 0;
};

int run_rollback(const RollbackOptions& o) {
  std::string path = resolve_db_path(o.db.db);
  std::string live = rollback_generation(path, o.to, o.wait);
  fmt::print(stderr, "{}: readers now use {}\n", path, live);
  return kExitOk;
}

}  // namespace

void setup_rollback(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<RollbackOptions>();
  auto* sub = app.add_subcommand(
      "rollback", "Switch readers back to an older generation kept by index --snapshot --keep");
  add_db_option(*sub, o->db);
  sub->add_option("--to", o->to, "the generation (default: the one before the live one)");
  sub->add_option("--wait", o->wait,
                  "seconds to wait for another writer's lock (default 0: fail at once)");
  sub->callback([o, &exit_code] { exit_code = run_rollback(*o); });
}

}  // namespace trialsearch::cli
