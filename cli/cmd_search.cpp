// trialsearch search: ranked keyword search.
#include <fmt/format.h>

#include <memory>

#include "cli/commands.hpp"
#include "cli/terminal.hpp"
#include "indexer/db_path.hpp"
#include "indexer/errors.hpp"
#include "query/searcher.hpp"
#include "query/trial_database.hpp"

namespace trialsearch::cli {
namespace {

struct SearchCommandOptions {
  DbOptions db;
  std::vector<std::string> words;
  SearchOptions search;
  std::string match = "relaxed";
  std::string sort = "relevance";
  bool json = false, jsonl = false, csv = false, ids = false;
};

MatchMode parse_match(const std::string& m) {
  if (m == "all") return MatchMode::All;
  if (m == "any") return MatchMode::Any;
  return MatchMode::Relaxed;
}

SortOrder parse_sort(const std::string& s) {
  if (s == "start") return SortOrder::Start;
  if (s == "updated") return SortOrder::Updated;
  if (s == "enrollment") return SortOrder::Enrollment;
  return SortOrder::Relevance;
}

std::string join(const std::vector<std::string>& v, std::string_view sep) {
  std::string out;
  for (const auto& s : v) {
    if (!out.empty()) out += sep;
    out += s;
  }
  return out;
}

void print_human(const SearchResult& r, const SearchOptions& o) {
  const bool color = use_color();
  if (o.explain) fmt::print("parsed: {}\n", safe(r.parsed));
  if (r.total == 0) {
    fmt::print("No trials match.\n");
  } else if (r.hits.empty()) {
    fmt::print("{}{} trials match\n", r.total_exact ? "" : "about ", r.total);
  } else {
    fmt::print("{}{} trials match (showing {}-{})\n", r.total_exact ? "" : "about ", r.total,
               o.offset + 1, o.offset + r.hits.size());
  }
  for (const auto& h : r.hits) {
    const Trial& t = h.trial;
    fmt::print("{:>3}. {}  {}  {}  {}\n", h.rank, paint(t.nct_id, "1", color),
               paint(t.overall_status.empty() ? "-" : t.overall_status,
                     status_color(t.overall_status), color),
               t.phases.empty() ? "-" : join(t.phases, "/"),
               shown_title(t.brief_title, t.official_title));
    if (!h.snippet.empty()) fmt::print("     {}\n", h.snippet);
    for (const auto& m : h.matched)
      fmt::print("     matched {}: {}{}\n", m.field, safe(m.word),
                 m.via.empty() ? "" : fmt::format(" ({})", safe(m.via)));
  }
  for (const auto& f : r.facets) {
    std::vector<std::string> parts;
    for (const auto& c : f.counts) parts.push_back(fmt::format("{} {}", c.value, c.count));
    fmt::print("{}: {}\n", f.name, parts.empty() ? "-" : join(parts, ", "));
  }
  if (!r.did_you_mean.empty()) fmt::print("Did you mean: {}\n", safe(r.did_you_mean));
}

void print_csv(const SearchResult& r) {
  fmt::print("rank,nct_id,status,phases,title,sponsor,start_date,score\n");
  for (const auto& h : r.hits) {
    const Trial& t = h.trial;
    fmt::print("{},{},{},{},{},{},{},{:.4f}\n", h.rank, t.nct_id, t.overall_status,
               csv_field(join(t.phases, "/")), csv_field(t.brief_title),
               csv_field(t.lead_sponsor.name), t.start_date, h.weight);
  }
}

int run_search(SearchCommandOptions& o) {
  if (int formats = o.json + o.jsonl + o.csv + o.ids; formats > 1)
    throw UsageError("choose one of --json, --jsonl, --csv, --ids");
  SearchOptions& s = o.search;
  s.query = join(o.words, " ");
  s.mode = parse_match(o.match);
  s.sort = parse_sort(o.sort);
  const bool human = !(o.json || o.jsonl || o.csv || o.ids);
  s.records = !o.ids;
  if (human && use_color()) {
    s.highlight_start = "\033[1;33m";
    s.highlight_end = "\033[0m";
  }
  SearchResult r = with_database(resolve_db_path(o.db.db),
                                 [&](const Xapian::Database& db) { return search(db, s); });
  if (o.json) {
    fmt::print("{}\n", search_result_to_json(r));
  } else if (o.jsonl) {
    for (const auto& h : r.hits) fmt::print("{}\n", hit_to_json(h));
  } else if (o.csv) {
    print_csv(r);
  } else if (o.ids) {
    for (const auto& h : r.hits) fmt::print("{}\n", h.trial.nct_id);
  } else {
    print_human(r, s);
  }
  return kExitOk;
}

}  // namespace

void add_filter_options(CLI::App& sub, SearchFilters& f) {
  sub.add_option("--status", f.status,
                 "only these statuses (recruiting, completed, \"not yet recruiting\"...)")
      ->delimiter(',')
      ->allow_extra_args(false);
  sub.add_option("--phase", f.phase, "only these phases (1, 2, 1/2, early1, na)")
      ->delimiter(',')
      ->allow_extra_args(false);
  sub.add_option("--type", f.type, "only these study types (interventional, observational...)")
      ->delimiter(',')
      ->allow_extra_args(false);
  sub.add_option("--country", f.country, "only trials with a site in these countries")
      ->delimiter(',')
      ->allow_extra_args(false);
  sub.add_option("--sex", f.sex, "only trials open to this sex (female, male)")
      ->delimiter(',')
      ->allow_extra_args(false);
  sub.add_option("--age", f.age_years, "only trials whose age limits include AGE years")
      ->check(CLI::Range(0, 150));
  sub.add_flag("--healthy", f.healthy, "only trials accepting healthy volunteers");
  sub.add_option("--since", f.since, "only trials updated on or after DATE (YYYY[-MM[-DD]])");
}

void setup_search(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<SearchCommandOptions>();
  auto* sub = app.add_subcommand(
      "search", "Ranked keyword search (AND OR NOT, \"phrases\", field:value, ranges)");
  add_db_option(*sub, o->db);
  sub->add_option("query", o->words,
                  fmt::format("query words (at most {}, and {} wildcards); field prefixes: "
                              "title: cond: drug: sponsor: site: city: country: keyword: mesh: "
                              "outcome: id: status: phase: type: sex:; ranges: start:2023..2025 "
                              "updated:2025-01-01.. enrollment:100..500",
                              kMaxQueryWords, kMaxQueryWildcards));
  add_filter_options(*sub, o->search.filters);
  sub->add_option("--sort", o->sort,
                  "relevance (default), start, updated or enrollment (newest/largest first)")
      ->check(CLI::IsMember({"relevance", "start", "updated", "enrollment"}));
  sub->add_option("--match", o->match,
                  "relaxed (default: all words first, then partial matches), all, or any")
      ->check(CLI::IsMember({"relaxed", "all", "any"}));
  sub->add_option("--limit", o->search.limit, "results to show (default 10)")
      ->check(CLI::Range(0, 100000));
  sub->add_option("--offset", o->search.offset, "results to skip (default 0)");
  sub->add_option("--facets", o->search.facets,
                  "count matches by: status,phase,country,type,sponsor-class")
      ->delimiter(',')
      ->allow_extra_args(false)
      ->check(CLI::IsMember({"status", "phase", "country", "type", "sponsor-class"}));
  sub->add_flag("--explain", o->search.explain,
                "show the parsed query and why each result matched");
  sub->add_flag("--json", o->json, "one JSON document");
  sub->add_flag("--jsonl", o->jsonl, "one JSON object per result");
  sub->add_flag("--csv", o->csv, "CSV with a header line");
  sub->add_flag("--ids", o->ids, "NCT ids only, one per line, best first");
  sub->callback([o, &exit_code] { exit_code = run_search(*o); });
}

}  // namespace trialsearch::cli
