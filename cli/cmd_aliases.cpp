// trialsearch aliases NAME: the names a drug expands to in searches, and why (which trial or
// lexicon, and the kind of each link).
#include <fmt/format.h>

#include <memory>

#include "analyzers/alias_expansion.hpp"
#include "analyzers/errors.hpp"
#include "analyzers/strings.hpp"
#include "cli/commands.hpp"
#include "cli/terminal.hpp"
#include "indexer/db_path.hpp"
#include "indexer/json_writer.hpp"
#include "indexer/synonym_table.hpp"
#include "query/trial_database.hpp"

namespace trialsearch::cli {
namespace {

struct AliasesOptions {
  DbOptions db;
  std::string name;
  bool json = false;
  bool strict = false;
};

int run_aliases(const AliasesOptions& o) {
  std::vector<AliasReach> reach =
      with_database(resolve_db_path(o.db.db), [&](const Xapian::Database& db) {
        return load_alias_expander(db).expand(o.name, o.strict ? AliasMode::Strict : AliasMode::On);
      });
  std::string key = alias_key(o.name);
  JsonWriter w;
  w.begin_object().key("name").value(o.name).key("key").value(key).key("aliases").begin_array();
  for (const auto& r : reach) {
    if (o.json) {
      w.begin_object().key("alias").value(r.key).key("path").begin_array();
      for (std::size_t i = 0; i < r.path.size(); ++i) {
        const auto& s = r.path[i];
        w.begin_object()
            .key("from")
            .value(s.from_key)
            .key("to")
            .value(s.to_key)
            .key("kind")
            .value(link_kind_name(r.kinds[i]))
            .key("provenance")
            .begin_array();
        for (const auto& p : s.provenances) w.value(p);
        w.end_array().end_object();
      }
      w.end_array().end_object();
    } else {
      std::string why;
      for (std::size_t i = 0; i < r.path.size(); ++i) {
        const auto& s = r.path[i];
        std::string provs;
        for (const auto& p : s.provenances) provs += (provs.empty() ? "" : ", ") + p;
        why += fmt::format("{}{} = {} ({}: {})", why.empty() ? "" : "; ", s.from_key, s.to_key,
                           link_kind_name(r.kinds[i]), provs);
      }
      fmt::print("{}\t{}\n", printable(r.key), printable(why));
    }
  }
  w.end_array().end_object();
  if (o.json) fmt::print("{}\n", w.str());
  if (!o.json && reach.empty())
    fmt::print(stderr, "trialsearch: no aliases known for '{}'\n", printable(o.name));
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
  sub->add_flag("--strict", o->strict,
                "only lexicon entries and links between drug codes (search --aliases strict)");
  sub->callback([o, &exit_code] { exit_code = run_aliases(*o); });
}

}  // namespace trialsearch::cli
