// API v2 JSON from ../shared/data/ctgov-json-v2 (see SOURCES.md there) read through the source
// reader, which detects each file's format and hands it to read_json.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <set>
#include <string>

#include "indexer/normalize.hpp"
#include "indexer/source_reader.hpp"
#include "tests/support/test_support.hpp"

namespace fs = std::filesystem;
using trialsearch::Trial;
using trialsearch::test::CollectingSink;
using trialsearch::test::shared_data_dir;

namespace {

fs::path v2_dir() { return shared_data_dir() / "ctgov-json-v2"; }

CollectingSink read(const fs::path& source) {
  CollectingSink sink;
  trialsearch::read_sources({source.string()}, sink);
  return sink;
}

const Trial& find(const std::vector<Trial>& trials, std::string_view nct_id) {
  auto it = std::find_if(trials.begin(), trials.end(),
                         [&](const Trial& t) { return t.nct_id == nct_id; });
  REQUIRE(it != trials.end());
  return *it;
}

template <class T, class F>
std::size_t how_many(const std::vector<T>& items, F f) {
  return static_cast<std::size_t>(std::count_if(items.begin(), items.end(), f));
}

}  // namespace

TEST_CASE("studies.jsonl: 584 unique studies, nothing skipped", "[json]") {
  auto sink = read(v2_dir() / "studies.jsonl");
  CHECK(sink.skips.empty());
  REQUIRE(sink.trials.size() == 584);

  std::set<std::string> ids;
  for (const auto& t : sink.trials) {
    CAPTURE(t.nct_id);
    CHECK(trialsearch::is_nct_id(t.nct_id));
    CHECK_FALSE(t.brief_title.empty());
    CHECK_FALSE(t.overall_status.empty());
    CHECK_FALSE(t.study_type.empty());
    CHECK_FALSE(t.start_date.empty());
    CHECK_FALSE(t.std_ages.empty());
    CHECK(t.origin.format == "ctgov-json-v2");
    ids.insert(t.nct_id);
  }
  CHECK(ids.size() == 584);
  CHECK(sink.trials.front().origin.line == 1);
  CHECK(sink.trials.back().origin.line == 584);

  // Totals counted in the raw file independently of the reader.
  std::size_t sites = 0, located = 0, interventions = 0;
  for (const auto& t : sink.trials) {
    sites += t.sites.size();
    located += how_many(t.sites, [](const auto& s) { return s.latitude.has_value(); });
    interventions += t.interventions.size();
  }
  CHECK(sites == 5126);
  CHECK(located == 5005);
  CHECK(interventions == 1022);
  CHECK(how_many(sink.trials, [](const Trial& t) { return t.has_results; }) == 32);
  CHECK(how_many(sink.trials, [](const Trial& t) { return t.healthy_volunteers.has_value(); }) ==
        559);
  CHECK(how_many(sink.trials, [](const Trial& t) { return t.enrollment.has_value(); }) == 582);
  CHECK(how_many(sink.trials, [](const Trial& t) { return t.phases.empty(); }) == 125);
  CHECK(how_many(sink.trials, [](const Trial& t) {
          return t.phases == std::vector<std::string>{"PHASE1", "PHASE2"};
        }) == 37);
  CHECK(how_many(sink.trials, [](const Trial& t) { return t.overall_status == "RECRUITING"; }) ==
        214);
}

TEST_CASE("every export gives its stated number of studies", "[json]") {
  struct Export {
    const char* file;
    std::size_t studies;
  };
  auto e = GENERATE(Export{"api-v2-page-response.json", 5}, Export{"ctg-studies-1.json", 128},
                    Export{"ctg-studies-2.json", 1}, Export{"ctg-studies-3.json", 50},
                    Export{"ctg-studies-4.json", 10}, Export{"ctg-studies-5.json", 100},
                    Export{"ctg-studies-6.json", 100}, Export{"ctg-studies-7.json", 88},
                    Export{"ctg-studies-8.json", 100});
  CAPTURE(e.file);
  auto sink = read(v2_dir() / "exports" / e.file);
  CHECK(sink.skips.empty());
  CHECK(sink.trials.size() == e.studies);
  for (const auto& t : sink.trials) CHECK(trialsearch::is_nct_id(t.nct_id));
}

TEST_CASE("fixtures: whole studies are read, fragments are skipped with a reason", "[json]") {
  auto sink = read(v2_dir() / "fixtures");
  // 65 files: 20 carry an nctId, 45 are single-module fragments.
  std::multiset<std::string> ids;
  for (const auto& t : sink.trials) ids.insert(t.nct_id);
  // NCT02278341.json holds the same record as NCT02552212.json, hence NCT02552212 twice.
  CHECK(ids ==
        std::multiset<std::string>{"NCT00465816", "NCT00763412", "NCT00973089", "NCT01234567",
                                   "NCT02210780", "NCT02299791", "NCT02513394", "NCT02552212",
                                   "NCT02552212", "NCT03418623", "NCT03453554", "NCT03475563",
                                   "NCT03630471", "NCT04207047", "NCT05594173", "NCT06171568"});
  REQUIRE(sink.skips.size() == 49);
  std::size_t fragments = 0, bad_ids = 0;
  for (const auto& skip : sink.skips) {
    CAPTURE(skip);
    bool fragment = skip.find(": not a study: no ") != std::string::npos;
    bool bad_id = skip.find(": invalid NCT id \"NCT000001\"") != std::string::npos;
    CHECK((fragment || bad_id));
    fragments += fragment;
    bad_ids += bad_id;
  }
  CHECK(fragments == 45);
  CHECK(bad_ids == 4);  // the synthetic study_data_*.json records
}

TEST_CASE("classic v1 JSON files are refused with one message each", "[json]") {
  auto file = GENERATE(as<std::string>{}, "NCT00023673.json", "results_2.json");
  fs::path path = shared_data_dir() / "ctgov-json-v1" / file;
  auto sink = read(path);
  CHECK(sink.trials.empty());
  REQUIRE(sink.skips.size() == 1);
  CHECK(sink.skips[0] ==
        path.string() + ": classic v1 JSON (FullStudiesResponse): not supported; use API v2 JSON");
}

TEST_CASE("NCT02513394 (PALLAS, with results) reads with its real values", "[json]") {
  auto sink = read(v2_dir() / "fixtures" / "NCT02513394.json");
  REQUIRE(sink.trials.size() == 1);
  const Trial& t = sink.trials[0];
  CHECK(t.nct_id == "NCT02513394");
  CHECK(t.org_study_id == "AFT-05");
  CHECK(t.brief_title == "PALbociclib CoLlaborative Adjuvant Study");
  CHECK(t.acronym == "PALLAS");
  CHECK(t.overall_status == "ACTIVE_NOT_RECRUITING");
  CHECK(t.phases == std::vector<std::string>{"PHASE3"});
  CHECK(t.study_type == "INTERVENTIONAL");
  CHECK(t.conditions == std::vector<std::string>{"Breast Cancer"});
  REQUIRE(t.interventions.size() == 2);
  CHECK(t.interventions[0].name == "Palbociclib");
  CHECK(t.interventions[1].name == "Standard Adjuvant Endocrine Therapy");
  CHECK(t.sites.size() == 437);  // "locations"; the file's extra "locations_nested" is not read
  CHECK(t.sites[0].city == "Mobile");
  CHECK(t.sites[0].latitude == 30.69436);
  CHECK(t.has_results);
  CHECK(t.enrollment == 5796);
  CHECK(t.enrollment_type == "ACTUAL");
  CHECK(t.start_date == "2015-08");
  CHECK(t.completion_date == "2025-09");
  CHECK(t.minimum_age.days == 18 * 365);
  CHECK(t.maximum_age.text.empty());
  CHECK(t.std_ages == std::vector<std::string>{"ADULT", "OLDER_ADULT"});
  CHECK(t.lead_sponsor.name == "Alliance Foundation Trials, LLC.");
  CHECK(t.condition_mesh == std::vector<std::string>{"Breast Neoplasms"});
  CHECK(t.intervention_mesh_ids == std::vector<std::string>{"C000500026"});
}

TEST_CASE("NCT02210780 (dupilumab) keeps the intervention's other names", "[json]") {
  auto sink = read(v2_dir() / "fixtures" / "NCT02210780.json");
  REQUIRE(sink.trials.size() == 1);
  const Trial& t = sink.trials[0];
  CHECK(t.overall_status == "COMPLETED");
  CHECK(t.phases == std::vector<std::string>{"PHASE2"});
  REQUIRE(t.interventions.size() == 2);
  CHECK(t.interventions[0].name == "Dupilumab");
  CHECK(t.interventions[0].other_names ==
        std::vector<std::string>{"REGN668", "SAR231893", "Dupixent"});
  CHECK(t.interventions[1].other_names.empty());
  CHECK(t.start_date == "2014-08-05");
  CHECK(t.maximum_age.text == "64 Years");
  CHECK(t.collaborators.size() == 1);
  CHECK(t.condition_mesh == std::vector<std::string>{"Dermatitis, Atopic", "Dermatitis", "Eczema"});
  CHECK(t.sites.size() == 42);
  CHECK(t.primary_outcomes.size() == 1);
  CHECK(t.secondary_outcomes.size() == 10);
  CHECK(t.has_results);
}

TEST_CASE("the API page's first study is observational and phase-less", "[json]") {
  auto sink = read(v2_dir() / "exports" / "api-v2-page-response.json");
  const Trial& t = find(sink.trials, "NCT06476470");
  CHECK(t.brief_title ==
        "Taiwan Interstitial Lung Disease Multi-center Investigation and Registry");
  CHECK(t.overall_status == "RECRUITING");
  CHECK(t.phases.empty());
  CHECK(t.conditions.size() == 5);
  CHECK(t.interventions.empty());
  CHECK(t.sites.size() == 1);
}
