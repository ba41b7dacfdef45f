#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "analyzers/alias_graph.hpp"
#include "analyzers/lexicon.hpp"
#include "tests/support/test_support.hpp"

using trialsearch::AliasGraph;
using trialsearch::LexiconEntry;
using trialsearch::LexiconLoad;
using Names = std::vector<std::string>;

namespace {

std::filesystem::path lexicons() { return trialsearch::test::shared_data_dir() / "lexicons"; }

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

const LexiconEntry* with_provenance(const LexiconLoad& load, std::string_view provenance) {
  for (const auto& entry : load.entries)
    if (entry.provenance == provenance) return &entry;
  return nullptr;
}

bool has_pair(const LexiconLoad& load, std::string_view brand, std::string_view ingredient) {
  return std::any_of(load.entries.begin(), load.entries.end(), [&](const LexiconEntry& e) {
    return e.names == Names{std::string(brand), std::string(ingredient)};
  });
}

std::size_t links_of(const LexiconLoad& load) {
  std::size_t links = 0;
  for (const auto& entry : load.entries) links += entry.names.size() - 1;
  return links;
}

}  // namespace

TEST_CASE("DrugBank open vocabulary loads whole", "[analyzers]") {
  auto start = std::chrono::steady_clock::now();
  LexiconLoad load = trialsearch::load_drugbank_csv(lexicons() / "drugbank-open-vocabulary.csv");
  double elapsed = seconds_since(start);
  INFO("loaded in " << elapsed << " s");
  CHECK(elapsed < 20.0);  // a Debug build on a busy machine; about 0.1 s optimised

  CHECK(load.format == "drugbank-csv");
  CHECK(load.skipped_lines == 0);
  CHECK(load.entries.size() == 17430);  // every drug of the file
  CHECK(links_of(load) == 33157);       // synonyms not equal, by key, to the common name

  const LexiconEntry* cetuximab = with_provenance(load, "DrugBank DB00002");
  REQUIRE(cetuximab != nullptr);
  CHECK(cetuximab->names == Names{"Cetuximab", "Cetuximabum"});  // "Cétuximab" folds to the first
  const LexiconEntry* lepirudin = with_provenance(load, "DrugBank DB00001");
  REQUIRE(lepirudin != nullptr);
  CHECK(lepirudin->names.front() == "Lepirudin");
  CHECK(lepirudin->names.size() == 6);
}

TEST_CASE("Drugs@FDA 2018 products give brand -> ingredient pairs", "[analyzers]") {
  auto start = std::chrono::steady_clock::now();
  LexiconLoad load = trialsearch::load_drugsatfda_tsv(lexicons() / "drugsatfda-products-2018.tsv");
  double elapsed = seconds_since(start);
  INFO("loaded in " << elapsed << " s");
  CHECK(elapsed < 20.0);

  CHECK(load.format == "drugsatfda-tsv");
  CHECK(load.skipped_lines == 0);
  CHECK(load.entries.size() == 4342);
  CHECK(has_pair(load, "BENLYSTA", "BELIMUMAB"));
  CHECK(has_pair(load, "ERBITUX", "CETUXIMAB"));
  CHECK(has_pair(load, "PLAQUENIL", "HYDROXYCHLOROQUINE SULFATE"));
  CHECK_FALSE(has_pair(load, "BELIMUMAB", "BELIMUMAB"));
  for (const auto& entry : load.entries) {
    REQUIRE(entry.names.size() == 2);
    REQUIRE(entry.names[1].find(';') == std::string::npos);
  }
  const LexiconEntry* benlysta = nullptr;
  for (const auto& entry : load.entries)
    if (entry.names.front() == "BENLYSTA") benlysta = &entry;
  REQUIRE(benlysta != nullptr);
  CHECK(benlysta->provenance == "Drugs@FDA appl 125370");  // the first of 125370 and 761043
}

TEST_CASE("DrugBank, Drugs@FDA and the curated lexicon in one alias graph", "[analyzers]") {
  auto start = std::chrono::steady_clock::now();
  AliasGraph graph;
  for (const auto& file : {"drugbank-open-vocabulary.csv", "drugsatfda-products-2018.tsv"})
    for (const auto& entry : trialsearch::load_lexicon(lexicons() / file).entries)
      graph.link_group(entry.names, entry.provenance);
  for (const auto& entry : trialsearch::curated_lexicon())
    graph.link_group(entry.names, entry.provenance);
  double elapsed = seconds_since(start);
  INFO("built in " << elapsed << " s");
  CHECK(elapsed < 60.0);

  CHECK(graph.link_count() == 37562);
  auto belimumab = graph.group("Benlysta");
  CHECK(std::find(belimumab.begin(), belimumab.end(), "belimumab") != belimumab.end());
  CHECK(std::find(belimumab.begin(), belimumab.end(), "hgs1006") != belimumab.end());
  auto path = graph.explain("BENLYSTA", "LymphoStat-B");
  REQUIRE_FALSE(path.empty());

  std::size_t largest = 0;
  for (const auto& group : graph.groups()) largest = std::max(largest, group.size());
  INFO("largest component: " << largest);
  CHECK(largest <= 100);  // 65 observed: castor oil's many synonyms

  std::string text = graph.serialize();
  CHECK(AliasGraph::deserialize(text).serialize() == text);
}
