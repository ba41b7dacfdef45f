// trialsearch similar: trials like one or several others.
#include <fmt/format.h>

#include <iostream>
#include <map>
#include <memory>
#include <set>

#include "analyzers/errors.hpp"
#include "analyzers/strings.hpp"
#include "cli/commands.hpp"
#include "cli/labels.hpp"
#include "cli/terminal.hpp"
#include "indexer/db_path.hpp"
#include "indexer/normalize.hpp"
#include "query/similar_trials.hpp"
#include "query/trial_database.hpp"

namespace trialsearch::cli {
namespace {

struct SimilarCommandOptions {
  DbOptions db;
  std::vector<std::string> ids;
  SimilarOptions similar;
  bool json = false, jsonl = false, ids_only = false;
};

// "-" among the ids: read ids from standard input, one a line (blank lines ignored).
std::vector<std::string> expand_ids(const std::vector<std::string>& args) {
  std::vector<std::string> ids;
  for (const auto& a : args) {
    if (a != "-") {
      ids.push_back(a);
      continue;
    }
    for (std::string line; std::getline(std::cin, line);)
      if (!trim(line).empty()) ids.emplace_back(trim(line));
  }
  return ids;
}

int run_similar(SimilarCommandOptions& o) {
  if (o.json + o.jsonl + o.ids_only > 1) throw UsageError("choose one of --json, --jsonl, --ids");
  o.similar.ids = expand_ids(o.ids);
  o.similar.records = !o.ids_only;
  if (o.similar.ids.empty())
    throw UsageError("similar needs at least one NCT id (or - to read them from stdin)");
  SimilarResult r = with_database(resolve_db_path(o.db.db), [&](const Xapian::Database& db) {
    return find_similar(db, o.similar);
  });
  if (o.json) {
    fmt::print("{}\n", similar_result_to_json(r));
  } else if (o.jsonl) {
    for (const auto& h : r.hits) fmt::print("{}\n", similar_hit_to_json(h));
  } else if (o.ids_only) {
    for (const auto& h : r.hits) fmt::print("{}\n", h.trial.nct_id);
  } else {
    const bool color = use_color();
    if (r.hits.empty()) fmt::print("No similar trials found.\n");
    for (const auto& h : r.hits) {
      const Trial& t = h.trial;
      std::string head =
          fmt::format("{:>3}. {}  {}  {}", h.rank, paint(t.nct_id, "1", color),
                      paint(t.overall_status.empty() ? "-" : status_label(t.overall_status),
                            status_color(t.overall_status), color),
                      shown_title(t.brief_title, t.official_title));
      fmt::print("{}\n", wrap(head, output_width(), 5));
      // the same word can match in several fields: show it once, with its strongest weight
      std::map<std::string, std::vector<std::string>> by_group;
      std::set<std::pair<std::string, std::string>> seen;
      for (const auto& s : h.shared)
        if (seen.insert({s.group, s.word}).second)
          by_group[s.group].push_back(fmt::format("{} ({:.1f})", printable(s.word), s.weight));
      if (!h.same_conditions.empty()) {
        std::string line;
        for (const auto& c : h.same_conditions) line += (line.empty() ? "" : ", ") + printable(c);
        fmt::print("     {}\n", wrap("same condition: " + line, output_width(), 7));
      }
      for (const auto& [group, words] : by_group) {
        std::string line;
        for (const auto& wd : words) line += (line.empty() ? "" : ", ") + wd;
        fmt::print("     {}\n", wrap(fmt::format("shares {}: {}", group, line), output_width(), 7));
      }
    }
  }
  return kExitOk;
}

}  // namespace

void setup_similar(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<SimilarCommandOptions>();
  auto* sub = app.add_subcommand("similar", "Trials like the given ones (more like this)");
  add_db_option(*sub, o->db);
  sub->add_option("ids", o->ids, "NCT ids, or - to read ids from standard input (one a line)");
  add_filter_options(*sub, o->similar.filters);
  sub->add_option("--limit", o->similar.limit, "suggestions to show (default 10)")
      ->check(CLI::Range(0, 10000));
  sub->add_option(
         "--only", o->similar.only,
         "use only these term groups: " + similar_group_names(",") + " (commas or repeated)")
      ->delimiter(',')
      ->allow_extra_args(false);
  sub->add_option("--drop", o->similar.drop,
                  "leave out these words or names: comma-separated, or repeated")
      ->delimiter(',')
      ->allow_extra_args(false);
  sub->add_flag("--explain", o->similar.explain,
                "show what each suggestion shares with the sources");
  sub->add_flag("--json", o->json, "one JSON document");
  sub->add_flag("--jsonl", o->jsonl, "one JSON object per suggestion");
  sub->add_flag("--ids", o->ids_only, "NCT ids only, one per line");
  sub->callback([o, &exit_code] { exit_code = run_similar(*o); });
}

}  // namespace trialsearch::cli
