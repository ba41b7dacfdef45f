#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "analyzers/alias_graph.hpp"

using trialsearch::alias_key;
using trialsearch::AliasGraph;
using trialsearch::AliasStep;
using Keys = std::vector<std::string>;

namespace {

struct KeyCase {
  const char* name;
  const char* key;
};

// clang-format off
const KeyCase kKeyCases[] = {
  {"CC-97540",                        "cc97540"},
  {"CC\u201197540",                   "cc97540"},
  {"cc 97540",                        "cc97540"},
  {"BMS-986353",                      "bms986353"},
  {"Benlysta\u00ae",                  "benlysta"},
  {"Benlysta\u2122",                  "benlysta"},
  {"Benlysta(R)",                     "benlysta"},
  {"BENLYSTA (TM)",                   "benlysta (tm)"},  // detached: left alone
  {"  Anti-CD19 CAR T  ",             "anti-cd19 car t"},
  {"(belimumab)",                     "belimumab"},
  {"[belimumab])",                    "belimumab"},
  {"Saphnelo (anifrolumab)",          "saphnelo (anifrolumab)"},
  {"(IV) (SC)",                       "(iv) (sc)"},
  {"\"Saphnelo\",",                   "saphnelo"},
  {"Saphnelo\u00a0 (anifrolumab)",    "saphnelo (anifrolumab)"},
  {"Hydroxychloroquine\tSulfate",     "hydroxychloroquine sulfate"},
  {"C\u00e9tuximab",                  "cetuximab"},
  {"-CC-97540",                       "-cc-97540"},  // a leading dash is kept
  {"",                                ""},
  {"  \u00ae ",                       ""},
};
// clang-format on

/// A deliberately naive model: a set of (key pair, provenance) facts, components by search.
struct Model {
  std::set<std::tuple<std::string, std::string, std::string>> facts;

  void link(std::string a, std::string b, const std::string& provenance) {
    if (a == b) return;
    if (b < a) std::swap(a, b);
    facts.emplace(a, b, provenance);
  }
  void remove(const std::string& provenance) {
    std::erase_if(facts, [&](const auto& f) { return std::get<2>(f) == provenance; });
  }
  std::size_t link_count() const {
    std::set<std::pair<std::string, std::string>> pairs;
    for (const auto& [a, b, p] : facts) pairs.emplace(a, b);
    return pairs.size();
  }
  Keys group(const std::string& key) const {
    std::set<std::string> members{key};
    for (bool grew = true; grew;) {
      grew = false;
      for (const auto& [a, b, p] : facts) {
        if (members.contains(a) != members.contains(b)) {
          members.insert(a);
          members.insert(b);
          grew = true;
        }
      }
    }
    return {members.begin(), members.end()};
  }
};

std::string node_name(int i) {
  std::string digits = std::to_string(i);
  return "node_" + std::string(3 - digits.size(), '0') + digits;
}

}  // namespace

TEST_CASE("alias_key: table", "[analyzers]") {
  for (const auto& c : kKeyCases) {
    INFO("name: [" << c.name << "]");
    CHECK(alias_key(c.name) == c.key);
  }
}

TEST_CASE("AliasGraph: a code linked through two trials", "[analyzers]") {
  AliasGraph graph;
  // NCT05869955 lists CC-97540 with the other name BMS-986353; another trial lists
  // BMS-986353 with its description as an other name.
  graph.link("CC-97540", "BMS-986353", "NCT05869955");
  graph.link("BMS-986353", "CD19 NEX-T CAR T", "NCT06999999");
  CHECK(graph.link_count() == 2);

  Keys expected{"bms986353", "cc97540", "cd19 nex-t car t"};
  CHECK(graph.group("cc 97540") == expected);
  CHECK(graph.group("CC\u201197540") == expected);
  CHECK(graph.group("cd19 nex-t car t") == expected);
  CHECK(graph.group("belimumab") == Keys{"belimumab"});
  CHECK(graph.group("  ").empty());
  CHECK(graph.groups() == std::vector<Keys>{expected});

  auto path = graph.explain("CC 97540", "CD19 NEX-T CAR T");
  REQUIRE(path.size() == 2);
  CHECK(path[0] == AliasStep{"cc97540", "bms986353", {"NCT05869955"}});
  CHECK(path[1] == AliasStep{"bms986353", "cd19 nex-t car t", {"NCT06999999"}});
  CHECK(graph.explain("CC-97540", "cc97540").empty());
  CHECK(graph.explain("CC-97540", "belimumab").empty());
}

TEST_CASE("AliasGraph: self-links, repeated links and provenances", "[analyzers]") {
  AliasGraph graph;
  graph.link("CC-97540", "cc 97540", "NCT1");
  graph.link("Benlysta\u00ae", "benlysta", "NCT1");
  CHECK(graph.link_count() == 0);

  graph.link("belimumab", "Benlysta", "NCT2");
  graph.link("BENLYSTA", "Belimumab", "NCT2");
  graph.link("benlysta", "belimumab", "lexicon:curated (FDA label Benlysta)");
  CHECK(graph.link_count() == 1);
  auto path = graph.explain("Benlysta", "belimumab");
  REQUIRE(path.size() == 1);
  CHECK(path[0].provenances == Keys{"NCT2", "lexicon:curated (FDA label Benlysta)"});

  // A link asserted by two sources survives the removal of one of them.
  graph.remove_provenance("NCT2");
  CHECK(graph.link_count() == 1);
  CHECK(graph.explain("Benlysta", "belimumab")[0].provenances ==
        Keys{"lexicon:curated (FDA label Benlysta)"});
  graph.remove_provenance("no such provenance");
  CHECK(graph.link_count() == 1);
}

TEST_CASE("AliasGraph: link_group links every name to the first", "[analyzers]") {
  AliasGraph graph;
  graph.link_group({"", "belimumab", "Benlysta", "LymphoStat-B", "HGS1006", "HGS-1006"},
                   "lexicon:curated (FDA label Benlysta)");
  CHECK(graph.link_count() == 3);
  CHECK(graph.group("HGS 1006") == Keys{"belimumab", "benlysta", "hgs1006", "lymphostat-b"});
  CHECK(graph.explain("benlysta", "hgs1006").size() == 2);
}

TEST_CASE("AliasGraph: removing a trial's provenance splits its group", "[analyzers]") {
  AliasGraph graph;
  graph.link("CC-97540", "BMS-986353", "NCT05869955");
  graph.link("BMS-986353", "CD19 NEX-T", "NCT06999999");
  graph.link("CC-97540", "cc97540 CAR T", "NCT05869955");
  graph.remove_provenance("NCT05869955");
  CHECK(graph.link_count() == 1);
  CHECK(graph.group("CC-97540") == Keys{"cc97540"});
  CHECK(graph.group("BMS-986353") == Keys{"bms986353", "cd19 nex-t"});
  CHECK(graph.groups() == std::vector<Keys>{{"bms986353", "cd19 nex-t"}});

  // Re-indexing the trial brings the link back.
  graph.link("CC-97540", "BMS-986353", "NCT05869955");
  CHECK(graph.group("CD19 NEX-T").size() == 3);
}

TEST_CASE("AliasGraph: group() is capped, nearest keys first", "[analyzers]") {
  AliasGraph graph;
  for (int i = 0; i + 1 < 200; ++i) graph.link(node_name(i), node_name(i + 1), "chain");
  auto group = graph.group(node_name(0));
  REQUIRE(group.size() == AliasGraph::kMaxGroupSize);
  CHECK(group.front() == node_name(0));
  CHECK(group.back() == node_name(AliasGraph::kMaxGroupSize - 1));
  CHECK(graph.groups().front().size() == 200);  // groups() is not capped

  // A star: the overflowing level is cut in key order.
  AliasGraph star;
  for (int i = 1; i < 100; ++i) star.link("hub", node_name(i), "star");
  auto around = star.group("hub");
  REQUIRE(around.size() == AliasGraph::kMaxGroupSize);
  CHECK(std::find(around.begin(), around.end(), "hub") != around.end());
  CHECK(std::find(around.begin(), around.end(), node_name(63)) != around.end());
  CHECK(std::find(around.begin(), around.end(), node_name(64)) == around.end());
}

TEST_CASE("AliasGraph: explain finds a shortest path", "[analyzers]") {
  AliasGraph graph;
  graph.link("a1", "a2", "p1");
  graph.link("a2", "a3", "p2");
  graph.link("a3", "a4", "p3");
  graph.link("a1", "a4", "shortcut");
  auto path = graph.explain("a1", "a4");
  REQUIRE(path.size() == 1);
  CHECK(path[0].provenances == Keys{"shortcut"});
  graph.remove_provenance("shortcut");
  CHECK(graph.explain("a1", "a4").size() == 3);
}

TEST_CASE("AliasGraph: serialize round-trips odd text", "[analyzers]") {
  AliasGraph graph;
  graph.link("CC-97540", "BMS-986353", "NCT05869955");
  graph.link("back\\slash", "caf\u00e9 \u03b1-drug", "tab\there\nnew line\r\\t literal");
  graph.link("back\\slash", "caf\u00e9 \u03b1-drug", "");
  graph.link("x1 drug", "x2 drug", "DrugBank DB00001");
  graph.link("x1 drug", "x2 drug", "Drugs@FDA appl 125370");

  std::string text = graph.serialize();
  CHECK(std::count(text.begin(), text.end(), '\n') == 4);  // header and three links
  AliasGraph copy = AliasGraph::deserialize(text);
  CHECK(copy.serialize() == text);
  CHECK(copy.link_count() == graph.link_count());
  CHECK(copy.groups() == graph.groups());
  CHECK(copy.explain("back\\slash", "caf\u00e9 \u03b1-drug") ==
        graph.explain("back\\slash", "caf\u00e9 \u03b1-drug"));
  CHECK(copy.explain("back\\slash", "caf\u00e9 \u03b1-drug")[0].provenances ==
        Keys{"", "tab\there\nnew line\r\\t literal"});

  CHECK(AliasGraph::deserialize("").link_count() == 0);
  CHECK(AliasGraph::deserialize(AliasGraph().serialize()).link_count() == 0);
  CHECK_THROWS_AS(AliasGraph::deserialize("not a graph\n"), std::runtime_error);
  CHECK_THROWS_AS(AliasGraph::deserialize("trialsearch-alias-graph 1\na\tb\n"), std::runtime_error);
  CHECK_THROWS_AS(AliasGraph::deserialize("trialsearch-alias-graph 1\na\ta\tp\n"),
                  std::runtime_error);
  CHECK_THROWS_AS(AliasGraph::deserialize("trialsearch-alias-graph 1\na\tb\tp\\q\n"),
                  std::runtime_error);
}

TEST_CASE("AliasGraph: random links and removals agree with a simple model", "[analyzers]") {
  std::mt19937 random(20240917);
  auto pick = [&](int n) { return std::uniform_int_distribution<int>(0, n - 1)(random); };
  AliasGraph graph;
  Model model;
  for (int step = 0; step < 2000; ++step) {
    std::string provenance = "NCT" + std::to_string(pick(12));
    if (pick(5) == 0) {
      graph.remove_provenance(provenance);
      model.remove(provenance);
    } else {
      std::string a = node_name(pick(40));
      std::string b = node_name(pick(40));
      graph.link(a, b, provenance);
      model.link(a, b, provenance);
    }
    if (step % 50 != 0) continue;
    INFO("step " << step);
    REQUIRE(graph.link_count() == model.link_count());
    for (int i = 0; i < 40; ++i) REQUIRE(graph.group(node_name(i)) == model.group(node_name(i)));
    REQUIRE(AliasGraph::deserialize(graph.serialize()).serialize() == graph.serialize());
  }
}

TEST_CASE("AliasGraph: 200k links", "[analyzers]") {
  AliasGraph graph;
  for (int i = 0; i < 100000; ++i) {
    std::string drug = "drug" + std::to_string(i) + "mab";
    graph.link(drug, "brand " + std::to_string(i), "DrugBank DB" + std::to_string(i));
    graph.link(drug, "XY-" + std::to_string(100000 + i), "NCT" + std::to_string(i % 5000));
  }
  CHECK(graph.link_count() == 200000);
  CHECK(graph.group("xy 100007") == Keys{"brand 7", "drug7mab", "xy100007"});
  std::string text = graph.serialize();
  CHECK(AliasGraph::deserialize(text).link_count() == 200000);
  for (int i = 0; i < 5000; ++i) graph.remove_provenance("NCT" + std::to_string(i));
  CHECK(graph.link_count() == 100000);
}
