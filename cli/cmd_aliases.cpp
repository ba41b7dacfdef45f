// trialsearch aliases NAME: the names a drug is linked to, and why (which trial or lexicon).
#include <fmt/format.h>

#include <memory>

#include "analyzers/alias_graph.hpp"
#include "cli/commands.hpp"
#include "cli/terminal.hpp"
#include "indexer/db_path.hpp"
#include "indexer/errors.hpp"
#include "indexer/json_writer.hpp"
#include "indexer/synonym_table.hpp"
#include "query/trial_database.hpp"

namespace trialsearch::cli {
namespace {

struct AliasesOptions {
  DbOptions db;
  std::string name;
  bool json = false;
};

int run_aliases(const AliasesOptions& o) {
  AliasGraph graph = with_database(resolve_db_path(o.db.db),
                                   [](const Xapian::Database& db) { return load_alias_graph(db); });
  std::string key = alias_key(o.name);
  std::vector<std::string> group = graph.group(o.name);
  JsonWriter w;
  w.begin_object().key("name").value(o.name).key("key").value(key).key("aliases").begin_array();
  for (const auto& member : group) {
    if (member == key) continue;
    auto steps = graph.explain(key, member);
    if (o.json) {
      w.begin_object().key("alias").value(member).key("path").begin_array();
      for (const auto& s : steps) {
        w.begin_object()
            .key("from")
            .value(s.from_key)
            .key("to")
            .value(s.to_key)
            .key("provenance")
            .begin_array();
        for (const auto& p : s.provenances) w.value(p);
        w.end_array().end_object();
      }
      w.end_array().end_object();
    } else {
      std::string why;
      for (const auto& s : steps) {
        std::string provs;
        for (const auto& p : s.provenances) provs += (provs.empty() ? "" : ", ") + p;
        why += fmt::format("{}{} = {} ({})", why.empty() ? "" : "; ", s.from_key, s.to_key, provs);
      }
      fmt::print("{}\t{}\n", safe(member), safe(why));
    }
  }
  w.end_array().end_object();
  if (o.json) fmt::print("{}\n", w.str());
  if (!o.json && group.size() <= 1)
    fmt::print(stderr, "trialsearch: no aliases known for '{}'\n", safe(o.name));
  return kExitOk;
}

}  // namespace

void setup_aliases(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<AliasesOptions>();
  auto* sub = app.add_subcommand(
      "aliases", "Show the names a drug is linked to, and which trial or lexicon links them");
  add_db_option(*sub, o->db);
  sub->add_option("name", o->name, "a drug name or code (Benlysta, CC-97540...)")->required();
  sub->add_flag("--json", o->json, "one JSON object");
  sub->callback([o, &exit_code] { exit_code = run_aliases(*o); });
}

}  // namespace trialsearch::cli
