// trialsearch-query-bench DB QUERIES [--runs N] [--facets] [--similar] [--match] [--per-query]
// [--count-limit N]: in-process
// latency of `search` over a query file (one query per line, or
// `query<TAB>status=...,phase=...,type=...`), or with --similar of `similar` over a file of NCT
// ids (one per line), or with --match of `match` over a file of patient descriptions (one per
// line), one JSON line on stdout with p50/p95/p99/max/mean in milliseconds. The
// database is opened once, as a long-running service would; every query asks for the top 10
// (with snippets for search), like the CLI. --per-query also writes each query's best time over
// the runs to stderr (ms, tab, query), slowest first. --count-limit N counts matches exactly up to
// N (SearchOptions::exact_count_limit; 0: Xapian's estimate only), to measure what counting costs.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "query/patient_match.hpp"
#include "query/searcher.hpp"
#include "query/similar_trials.hpp"
#include "query/trial_database.hpp"

using namespace trialsearch;

namespace {

SearchOptions parse_line(const std::string& line) {
  SearchOptions o;
  auto tab = line.find('\t');
  o.query = line.substr(0, tab);
  if (tab == std::string::npos) return o;
  std::string rest = line.substr(tab + 1);
  std::size_t start = 0;
  while (start < rest.size()) {
    auto end = rest.find(',', start);
    if (end == std::string::npos) end = rest.size();
    std::string kv = rest.substr(start, end - start);
    auto eq = kv.find('=');
    if (eq != std::string::npos) {
      std::string k = kv.substr(0, eq), v = kv.substr(eq + 1);
      if (k == "status") o.filters.status.push_back(v);
      if (k == "phase") o.filters.phase.push_back(v);
      if (k == "type") o.filters.type.push_back(v);
    }
    start = end + 1;
  }
  return o;
}

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr,
                 "usage: trialsearch-query-bench DB QUERIES [--runs N] [--facets] [--similar] "
                 "[--match] [--per-query] [--count-limit N]\n");
    return 2;
  }
  int runs = 3;
  bool facets = false, similar = false, match = false, per_query = false;
  std::optional<std::size_t> count_limit;
  for (int i = 3; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--runs" && i + 1 < argc) runs = std::stoi(argv[++i]);
    if (a == "--facets") facets = true;
    if (a == "--similar") similar = true;
    if (a == "--match") match = true;
    if (a == "--per-query") per_query = true;
    if (a == "--count-limit" && i + 1 < argc) count_limit = std::stoul(argv[++i]);
  }
  std::ifstream in(argv[2]);
  std::vector<SearchOptions> queries;
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) queries.push_back(parse_line(line));
  Xapian::Database db = open_database(argv[1]);
  std::vector<double> ms;
  std::vector<double> best(queries.size(), 1e300);
  std::size_t answered = 0;
  for (int r = 0; r < runs; ++r) {
    for (std::size_t i = 0; i < queries.size(); ++i) {
      SearchOptions q = queries[i];
      if (facets) q.facets = {"status", "phase"};
      if (count_limit) q.exact_count_limit = *count_limit;
      auto t0 = std::chrono::steady_clock::now();
      bool hits = false;
      if (similar) {
        SimilarOptions so;
        so.ids = {q.query};
        hits = !find_similar(db, so).hits.empty();
      } else if (match) {
        MatchOptions mo;
        mo.text = q.query;
        hits = !match_patient(db, mo).result.hits.empty();
      } else {
        hits = !search(db, q).hits.empty();
      }
      auto t1 = std::chrono::steady_clock::now();
      if (r == 0 && hits) ++answered;
      ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
      best[i] = std::min(best[i], ms.back());
    }
  }
  if (per_query) {
    std::vector<std::size_t> order(queries.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return best[a] > best[b]; });
    for (auto i : order) fmt::print(stderr, "{:.3f}\t{}\n", best[i], queries[i].query);
  }
  double sum = 0;
  for (double v : ms) sum += v;
  fmt::print(
      "{{\"engine\":\"trialsearch\",\"mode\":\"in-process{}\",\"n\":{},\"answered\":{},\"p50_ms\":{"
      ":.3f},"
      "\"p95_ms\":{:.3f},\"p99_ms\":{:.3f},\"max_ms\":{:.3f},\"mean_ms\":{:.3f}}}\n",
      similar       ? "-similar"
      : match       ? "-match"
      : facets      ? "+facets"
      : count_limit ? fmt::format("-count-limit-{}", *count_limit)
                    : "",
      ms.size(), answered, percentile(ms, 0.5), percentile(ms, 0.95), percentile(ms, 0.99),
      *std::max_element(ms.begin(), ms.end()), sum / static_cast<double>(ms.size()));
  return 0;
}
