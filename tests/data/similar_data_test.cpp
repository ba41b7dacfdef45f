// `similar` through the real binary on the shared real records (studies.jsonl, 584 trials):
// never a source, filters respected, several sources, ids from standard input, and suggestions
// that mostly share a MeSH condition with their source (a smoke test; scripts/eval-similar
// measures quality).
#include <simdjson.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <set>

#include "tests/support/test_support.hpp"

using namespace trialsearch;
using test::run_cli;

namespace {

struct Source {
  std::string id;
  std::set<std::string> mesh;
};

// The first `n` studies of studies.jsonl that have MeSH condition terms.
std::vector<Source> sources_with_mesh(const std::filesystem::path& jsonl, std::size_t n) {
  std::vector<Source> out;
  std::ifstream in(jsonl);
  simdjson::dom::parser parser;
  for (std::string line; out.size() < n && std::getline(in, line);) {
    simdjson::dom::element study;
    if (parser.parse(line).get(study) != simdjson::SUCCESS) continue;
    Source s;
    std::string_view id;
    if (study["protocolSection"]["identificationModule"]["nctId"].get(id)) continue;
    s.id = std::string(id);
    simdjson::dom::array meshes;
    if (study["derivedSection"]["conditionBrowseModule"]["meshes"].get(meshes)) continue;
    for (auto m : meshes) {
      std::string_view term;
      if (!m["term"].get(term)) s.mesh.emplace(term);
    }
    if (!s.mesh.empty()) out.push_back(std::move(s));
  }
  return out;
}

}  // namespace

TEST_CASE("similar on the shared records: never a source, filters, several sources, stdin",
          "[data][similar][e2e]") {
  auto jsonl = test::shared_data_dir() / "ctgov-json-v2" / "studies.jsonl";
  test::TempDir dir;
  std::string db = (dir.path() / "db").string();
  auto r = run_cli({"index", "-q", "--db", db, jsonl.string()});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);

  auto sources = sources_with_mesh(jsonl, 20);
  REQUIRE(sources.size() == 20);
  simdjson::dom::parser parser;
  double share_sum = 0;
  for (const auto& s : sources) {
    INFO(s.id);
    auto out = run_cli({"similar", "--db", db, "--json", "--limit", "10", s.id});
    REQUIRE(out.exit_code == 0);
    simdjson::dom::array results = parser.parse(out.out)["results"];
    REQUIRE(results.size() > 0);
    std::size_t sharing = 0;
    for (auto hit : results) {
      CHECK(std::string_view(hit["nct_id"]) != s.id);
      bool shares = false;
      simdjson::dom::array mesh;
      if (!hit["condition_mesh"].get(mesh))  // absent when the suggestion has none
        for (auto m : mesh) shares |= s.mesh.count(std::string(std::string_view(m))) > 0;
      sharing += shares;
    }
    share_sum += static_cast<double>(sharing) / static_cast<double>(results.size());
  }
  double mean_share = share_sum / static_cast<double>(sources.size());
  INFO("mean share of suggestions with a MeSH condition of the source: " << mean_share);
  CHECK(mean_share >= 0.4);

  // Filters restrict the suggestions, not the sources.
  auto filtered = run_cli(
      {"similar", "--db", db, "--json", "--status", "completed", "--limit", "20", sources[0].id});
  REQUIRE(filtered.exit_code == 0);
  for (auto hit : parser.parse(filtered.out)["results"].get_array())
    CHECK(std::string_view(hit["status"]) == "COMPLETED");

  // Several sources, one of them from standard input as `search --ids` writes it.
  auto both =
      run_cli({"similar", "--db", db, "--ids", "-"}, sources[0].id + "\n" + sources[1].id + "\n");
  REQUIRE(both.exit_code == 0);
  CHECK_FALSE(both.out.empty());
  CHECK(both.out.find(sources[0].id) == std::string::npos);
  CHECK(both.out.find(sources[1].id) == std::string::npos);
  CHECK(run_cli({"similar", "--db", db, "NCT99999999"}).exit_code == 1);
}
