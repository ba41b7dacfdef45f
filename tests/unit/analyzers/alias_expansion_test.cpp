#include <catch2/catch.hpp>

#include <algorithm>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "analyzers/alias_expansion.hpp"

using trialsearch::AliasExpander;
using trialsearch::AliasGraph;
using trialsearch::AliasMode;
using trialsearch::AliasReach;
using trialsearch::LexiconEntry;
using trialsearch::LinkKind;
using Keys = std::set<std::string>;

namespace {

Keys keys(const std::vector<AliasReach>& reach) {
  Keys out;
  for (const auto& r : reach) out.insert(r.key);
  return out;
}

// A link stated by `records` records.
void link(AliasGraph& g, const std::string& a, const std::string& b, int records = 2) {
  for (int i = 0; i < records; ++i) g.link(a, b, "NCT0000000" + std::to_string(i));
}

trialsearch::DistinctFn distinct_pairs(std::vector<std::pair<std::string, std::string>> pairs) {
  return [pairs](const std::string& a, const std::string& b) {
    return std::any_of(pairs.begin(), pairs.end(), [&](const auto& p) {
      return (p.first == a && p.second == b) || (p.first == b && p.second == a);
    });
  };
}

}  // namespace

TEST_CASE("harvested links reach one step, code links and lexicon entries chain",
          "[analyzers][aliases]") {
  AliasGraph g;
  link(g, "CC-97540", "BMS-986353", 1);  // two codes: strong, even from one record
  link(g, "BMS-986353", "XYZ-123", 1);   // chains from a code
  link(g, "rituximab", "Rituxan");
  link(g, "Rituxan", "Rituxan Hycela");  // a second other-name step: not followed
  std::vector<LexiconEntry> lexicon{{{"belimumab", "Benlysta", "HGS1006"}, "lexicon:test", "drug"}};
  link(g, "belimumab", "LymphoStat-B");
  AliasExpander e(g, lexicon, nullptr);

  CHECK(keys(e.expand("cc 97540", AliasMode::On)) == Keys{"bms986353", "xyz123"});
  CHECK(keys(e.expand("CC-97540", AliasMode::Strict)) == Keys{"bms986353", "xyz123"});
  CHECK(keys(e.expand("rituximab", AliasMode::On)) == Keys{"rituxan"});
  CHECK(keys(e.expand("rituximab", AliasMode::Strict)).empty());
  CHECK(keys(e.expand("rituximab", AliasMode::Off)).empty());
  // a lexicon name reaches its entry, and one harvested step from any of it
  CHECK(keys(e.expand("Benlysta", AliasMode::Strict)) == Keys{"belimumab", "hgs1006"});
  CHECK(keys(e.expand("Benlysta", AliasMode::On)) == Keys{"belimumab", "hgs1006", "lymphostat-b"});
  auto reach = e.expand("Benlysta", AliasMode::On);
  auto lymphostat = std::find_if(reach.begin(), reach.end(),
                                 [](const AliasReach& r) { return r.key == "lymphostat-b"; });
  REQUIRE(lymphostat != reach.end());
  CHECK(lymphostat->kinds == std::vector<LinkKind>{LinkKind::Lexicon, LinkKind::OtherName});
}

TEST_CASE("links that contradict evidence are dropped", "[analyzers][aliases]") {
  AliasGraph g;
  link(g, "placebo", "bupropion");           // not a drug name
  link(g, "ketoconazole", "casopitant", 1);  // one record only
  link(g, "cisplatin", "Platinol");
  link(g, "cisplatin", "5-FU");  // the corpus lists them as two interventions
  link(g, "chemotherapy X", "cisplatin");
  // a hub: its names are different drugs
  link(g, "kit alpha", "carboplatin");
  link(g, "kit alpha", "paclitaxel");
  link(g, "kit alpha", "taxol");
  // a lexicon says these are different drugs
  link(g, "dexamethasone", "dextromethorphan");
  std::vector<LexiconEntry> lexicon{{{"dexamethasone", "Decadron"}, "lexicon:test", "drug"},
                                    {{"dextromethorphan", "Delsym"}, "lexicon:test", "drug"}};
  AliasExpander e(g, lexicon,
                  distinct_pairs({{"cisplatin", "5-fu"}, {"carboplatin", "paclitaxel"}}));

  CHECK(e.expand("placebo", AliasMode::On).empty());
  CHECK(keys(e.expand("bupropion", AliasMode::On)).empty());
  CHECK(e.expand("ketoconazole", AliasMode::On).empty());
  CHECK(keys(e.expand("cisplatin", AliasMode::On)) == Keys{"chemotherapy x", "platinol"});
  CHECK(keys(e.expand("carboplatin", AliasMode::On)).empty());
  CHECK(keys(e.expand("taxol", AliasMode::On)).empty());
  CHECK(keys(e.expand("dexamethasone", AliasMode::On)) == Keys{"decadron"});
  auto dropped = e.dropped_links();
  CHECK(dropped["not a drug name"] == 1);
  CHECK(dropped["stated by one record only"] == 1);
  CHECK(dropped["listed as different interventions"] == 1);
  CHECK(dropped["a lexicon files them under different drugs"] == 1);
  CHECK(dropped["a hub: linked to several different drugs"] == 3);
  CHECK(e.accepted_links() == 2);
}

TEST_CASE("a code never links to a longer name built on it", "[analyzers][aliases]") {
  AliasGraph g;
  link(g, "gp100 antigen", "gp100");  // the protein, whose peptides are other drugs
  link(g, "gp100:209-217(210M) peptide", "GP-100");
  link(g, "CC-97540 cells", "CC-97540", 3);
  link(g, "CC-97540", "BMS-986353");  // two codes: kept
  link(g, "gp100 antigen", "melanocyte protein pmel", 3);
  AliasExpander e(g, {}, nullptr);
  CHECK(keys(e.expand("gp100 antigen", AliasMode::On)) == Keys{"melanocyte protein pmel"});
  CHECK(keys(e.expand("gp100", AliasMode::On)).empty());
  CHECK(keys(e.expand("CC-97540", AliasMode::On)) == Keys{"bms986353"});
  CHECK(e.dropped_links().at("a code and a name built on it") == 3);
}

TEST_CASE("a code goes to the drug most records give it to", "[analyzers][aliases]") {
  AliasGraph g;
  link(g, "prednisone", "NSC-10023", 5);
  link(g, "prednisolone", "NSC-10023", 1);
  AliasExpander e(g, {}, nullptr);
  CHECK(keys(e.expand("prednisone", AliasMode::On)) == Keys{"nsc10023"});
  CHECK(e.expand("prednisolone", AliasMode::On).empty());
}

TEST_CASE("expansions stay small on any graph", "[analyzers][aliases]") {
  AliasGraph g;
  // a lexicon entry of 100 names and a name with 100 other names
  LexiconEntry big{{}, "lexicon:big", "drug"};
  for (int i = 0; i < 100; ++i) {
    big.names.push_back("bigdrug name " + std::to_string(i));
    link(g, "hubless", "hubless other " + std::to_string(i));
  }
  AliasExpander e(g, {big}, nullptr);
  CHECK(e.expand("bigdrug name 7", AliasMode::On).size() <= AliasExpander::kMaxExpansion);
  CHECK(e.expand("hubless", AliasMode::On).size() == AliasExpander::kMaxExpansion);
}

TEST_CASE("condition abbreviations expand to conditions only", "[analyzers][aliases]") {
  std::vector<LexiconEntry> lexicon{
      {{"LN", "lupus nephritis"}, "lexicon:test", "condition"},
      {{"SLE", "systemic lupus erythematosus"}, "lexicon:test", "condition"}};
  AliasExpander e(AliasGraph{}, lexicon, nullptr);
  CHECK(e.expand_condition("LN") == std::vector<std::string>{"lupus nephritis"});
  CHECK(e.expand_condition("lupus nephritis") == std::vector<std::string>{"ln"});
  CHECK(e.expand("LN", AliasMode::On).empty());  // not a drug
  CHECK(e.drug_keys().empty());
  CHECK(e.condition_keys().size() == 4);
}
