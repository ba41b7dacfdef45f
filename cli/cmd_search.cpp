// trialsearch search: ranked keyword search.
#include <fmt/format.h>

#include <memory>

#include "analyzers/errors.hpp"
#include "analyzers/fields.hpp"
#include "analyzers/strings.hpp"
#include "cli/commands.hpp"
#include "cli/labels.hpp"
#include "cli/terminal.hpp"
#include "indexer/db_path.hpp"
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
  std::string aliases = "on";
  ResultFormat format;
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

// Where a hit's snippet and explanation lines start.
constexpr std::size_t kHitIndent = 5;
// Values of a facet listed before the rest are summed on one line.
constexpr std::size_t kFacetRows = 10;

// A facet as a small table, most frequent value first: the top kFacetRows, then the rest
// summed, under a heading that says how many values and matching trials there are.
void print_facet(const Facet& f, std::uint64_t matches) {
  std::size_t label_width = 12;
  std::vector<std::string> labels;
  for (std::size_t i = 0; i < f.counts.size() && i < kFacetRows; ++i) {
    labels.push_back(printable(facet_label(f.name, f.counts[i].value)));
    label_width = std::max(label_width, labels.back().size());
  }
  label_width = std::min<std::size_t>(label_width, 48);
  fmt::print("\n{} ({} {} in {} matching {})\n", f.name, f.counts.size(),
             f.counts.size() == 1 ? "value" : "values", matches, matches == 1 ? "trial" : "trials");
  for (std::size_t i = 0; i < labels.size(); ++i)
    fmt::print("  {:<{}}  {:>7}\n", labels[i], label_width, f.counts[i].count);
  if (f.counts.size() > kFacetRows) {
    std::uint64_t rest = 0;
    for (std::size_t i = kFacetRows; i < f.counts.size(); ++i) rest += f.counts[i].count;
    fmt::print("  {:<{}}  {:>7}\n", fmt::format("{} more", f.counts.size() - kFacetRows),
               label_width, rest);
  }
}

void print_human(const SearchResult& r, const SearchOptions& o, bool full_explain) {
  const bool color = use_color();
  const std::size_t width = output_width();
  for (const auto& line : r.explain_summary) fmt::print("{}\n", wrap(printable(line), width, 2));
  if (full_explain) fmt::print("{}\n", wrap("Xapian query: " + printable(r.parsed), width, 2));
  if (r.no_all_words_match)
    fmt::print("No trial has all of these words. Did you mean: {} ({} {} all of its words)\n",
               printable(r.did_you_mean), r.did_you_mean_matches,
               r.did_you_mean_matches == 1 ? "trial has" : "trials have");
  if (r.total == 0) {
    fmt::print("No trials match.\n");
  } else {
    // an estimate no higher than what was counted says only that: "at least 1000"
    const bool lower_bound = !r.total_exact && r.total <= r.total_at_least;
    std::string count =
        fmt::format("{}{} {}",
                    r.total_exact ? ""
                    : lower_bound ? "at least "
                                  : "about ",
                    r.total, r.total == 1 && r.total_exact ? "trial matches" : "trials match");
    if (r.hits.empty())
      fmt::print("{}{}\n", count,
                 o.limit > 0 && o.offset > 0 ? fmt::format(" (none after {})", o.offset) : "");
    else
      fmt::print("{} (showing {}-{})\n", count, r.hits.front().rank, r.hits.back().rank);
  }
  for (const auto& h : r.hits) {
    const Trial& t = h.trial;
    std::string status = t.overall_status.empty() ? "-" : status_label(t.overall_status);
    std::string head =
        fmt::format("{:>3}. {}  {}  {}  {}", h.rank, paint(t.nct_id, "1", color),
                    paint(status, status_color(t.overall_status), color), phases_label(t.phases),
                    shown_title(t.brief_title, t.official_title));
    fmt::print("{}\n", wrap(head, width, kHitIndent));
    if (!h.snippet.empty())
      fmt::print("{:{}}{}\n", "", kHitIndent, wrap(h.snippet, width, kHitIndent));
    for (const auto& m : h.matched)
      fmt::print("{:{}}{}\n", "", kHitIndent,
                 wrap(fmt::format("matched {}: {}{}", m.field, printable(m.word),
                                  m.via.empty() ? "" : fmt::format(" ({})", printable(m.via))),
                      width, kHitIndent + 2));
  }
  for (const auto& f : r.facets) print_facet(f, r.total);
  if (!r.did_you_mean.empty() && !r.no_all_words_match)
    fmt::print("Did you mean: {}\n", printable(r.did_you_mean));
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
  SearchOptions& s = o.search;
  s.query = join(o.words, " ");
  s.mode = parse_match(o.match);
  s.sort = parse_sort(o.sort);
  s.aliases = o.aliases == "off"      ? AliasMode::Off
              : o.aliases == "strict" ? AliasMode::Strict
                                      : AliasMode::On;
  prepare_output(s, o.format);
  SearchResult r = with_database(resolve_db_path(o.db.db),
                                 [&](const Xapian::Database& db) { return search(db, s); });
  print_result(r, s, o.format, o.format.json ? search_result_to_json(r) : std::string());
  return kExitOk;
}

}  // namespace

void prepare_output(SearchOptions& s, const ResultFormat& f) {
  if (int formats = f.json + f.jsonl + f.csv + f.ids; formats > 1)
    throw UsageError("choose one of --json, --jsonl, --csv, --ids");
  s.explain = !f.explain.empty();
  const bool human = !(f.json || f.jsonl || f.csv || f.ids);
  s.records = !f.ids;
  if (human && use_color()) {
    s.highlight_start = "\033[1;33m";
    s.highlight_end = "\033[0m";
  }
}

void print_result(const SearchResult& r, const SearchOptions& s, const ResultFormat& f,
                  const std::string& json) {
  if (f.json) {
    fmt::print("{}\n", json);
  } else if (f.jsonl) {
    for (const auto& h : r.hits) fmt::print("{}\n", hit_to_json(h));
  } else if (f.csv) {
    print_csv(r);
  } else if (f.ids) {
    for (const auto& h : r.hits) fmt::print("{}\n", h.trial.nct_id);
  } else {
    print_human(r, s, f.explain == "full");
  }
}

void add_result_format_options(CLI::App& sub, ResultFormat& f, CLI::Option* facets,
                               const std::string& explain_help) {
  auto* explain = sub.add_flag("--explain{summary}", f.explain, explain_help)
                      ->check(CLI::IsMember({"summary", "full"}));
  sub.add_flag("--json", f.json, "one JSON document (facets and explanations included)");
  sub.add_flag("--jsonl", f.jsonl, "one JSON object per result (explanations included)")
      ->excludes(facets);
  sub.add_flag("--csv", f.csv, "CSV with a header line")->excludes(facets)->excludes(explain);
  sub.add_flag("--ids", f.ids, "NCT ids only, one per line, best first")
      ->excludes(facets)
      ->excludes(explain);
}

CLI::Option* add_page_options(CLI::App& sub, SearchOptions& s) {
  sub.add_option("--limit", s.limit, "results to show (default 10)")->check(CLI::Range(0, 100000));
  sub.add_option("--offset", s.offset, "results to skip (default 0)");
  std::vector<std::string> facet_choices;
  for (const auto& f : kFacets) facet_choices.emplace_back(f.name);
  return sub.add_option("--facets", s.facets, "count matches by: " + facet_names(","))
      ->delimiter(',')
      ->allow_extra_args(false)
      ->check(CLI::IsMember(facet_choices));
}

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
  sub.add_option("--country", f.country,
                 "only trials with a site in these countries (names or ISO 3166 codes: germany, "
                 "DE, USA, UK)")
      ->delimiter(',')
      ->allow_extra_args(false);
  sub.add_option("--sex", f.sex, "only trials open to this sex (female, male)")
      ->delimiter(',')
      ->allow_extra_args(false);
  sub.add_option("--age", f.age_years, "only trials whose age limits include AGE years")
      ->check(CLI::Range(0, 150));
  sub.add_option("--age-group", f.age_group,
                 "only trials open to these age groups (child, adult, older-adult)")
      ->delimiter(',')
      ->allow_extra_args(false);
  sub.add_option("--funder-type", f.sponsor_class,
                 "only trials whose lead sponsor is of these types (nih, fed, industry, other...)")
      ->delimiter(',')
      ->allow_extra_args(false);
  sub.add_option("--results", f.results, "only trials with results posted (yes) or without (no)")
      ->check(CLI::IsMember({"yes", "no"}));
  sub.add_flag("--healthy", f.healthy, "only trials accepting healthy volunteers");
  sub.add_option("--since", f.since, "only trials updated on or after DATE (YYYY[-MM[-DD]])");
}

void setup_search(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<SearchCommandOptions>();
  auto* sub = app.add_subcommand(
      "search", "Ranked keyword search (AND OR NOT, \"phrases\", field:value, ranges)");
  add_db_option(*sub, o->db);
  sub->add_option(
      "query", o->words,
      fmt::format("query words (at most {}, and {} wildcards; {} as plain text, of "
                  "which the {} rarest are scored): AND OR NOT, (parentheses), "
                  "\"phrases\", belim*, field:value and ranges (below)",
                  kMaxQueryWords, kMaxQueryWildcards, kMaxPastedWords, kMaxScoredWords));
  sub->footer(query_fields_help());
  add_filter_options(*sub, o->search.filters);
  sub->add_option("--sort", o->sort,
                  "relevance (default), start, updated or enrollment (newest/largest first)")
      ->check(CLI::IsMember({"relevance", "start", "updated", "enrollment"}));
  sub->add_option("--match", o->match,
                  "relaxed (default: all words first, then partial matches), all, or any")
      ->check(CLI::IsMember({"relaxed", "all", "any"}));
  sub->add_option("--aliases", o->aliases,
                  "drug names find their aliases: on (default), strict (lexicons and drug-code "
                  "links only) or off")
      ->check(CLI::IsMember({"on", "strict", "off"}));
  CLI::Option* facets = add_page_options(*sub, o->search);
  add_result_format_options(*sub, o->format, facets,
                            "what the query searched (words, fields, aliases, filters) and why "
                            "each result matched; --explain=full adds the whole Xapian query");
  sub->callback([o, &exit_code] { exit_code = run_search(*o); });
}

}  // namespace trialsearch::cli
