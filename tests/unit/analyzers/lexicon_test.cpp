#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "analyzers/alias_graph.hpp"
#include "analyzers/lexicon.hpp"
#include "tests/support/test_support.hpp"

using trialsearch::AliasGraph;
using trialsearch::LexiconEntry;
using trialsearch::LexiconLoad;
using trialsearch::test::TempDir;
using Names = std::vector<std::string>;

namespace {

std::filesystem::path write(const TempDir& dir, const std::string& name, const std::string& text) {
  auto path = dir.path() / name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

const LexiconEntry* entry_named(const std::vector<LexiconEntry>& entries, std::string_view name) {
  for (const auto& entry : entries)
    if (std::find(entry.names.begin(), entry.names.end(), name) != entry.names.end()) return &entry;
  return nullptr;
}

}  // namespace

TEST_CASE("curated lexicon: loads, cites a source on every line", "[analyzers]") {
  const auto& entries = trialsearch::curated_lexicon();
  REQUIRE(entries.size() >= 60);

  const LexiconEntry* belimumab = entry_named(entries, "belimumab");
  REQUIRE(belimumab != nullptr);
  CHECK(belimumab->kind == "drug");
  CHECK(belimumab->names.front() == "belimumab");
  CHECK(std::find(belimumab->names.begin(), belimumab->names.end(), "Benlysta") !=
        belimumab->names.end());
  CHECK(belimumab->provenance.starts_with("lexicon:curated (FDA label Benlysta"));

  const LexiconEntry* sle = entry_named(entries, "SLE");
  REQUIRE(sle != nullptr);
  CHECK(sle->kind == "condition");
  CHECK(sle->names[1] == "systemic lupus erythematosus");

  for (const auto& entry : entries) {
    INFO(entry.names.front());
    CHECK(entry.names.size() >= 2);
    CHECK((entry.kind == "drug" || entry.kind == "condition"));
    CHECK(entry.provenance.starts_with("lexicon:curated ("));
    CHECK(entry.provenance.ends_with(")"));
  }
}

TEST_CASE("curated lexicon: each line is its own alias group", "[analyzers]") {
  AliasGraph graph;
  for (const auto& entry : trialsearch::curated_lexicon())
    graph.link_group(entry.names, entry.provenance);
  // Two lines sharing a key would merge two drugs: every line must stay a group of its own.
  CHECK(graph.groups().size() == trialsearch::curated_lexicon().size());
  CHECK(graph.group("Benlysta\u00ae") ==
        Names{"belimumab", "benlysta", "gsk1550188", "hgs1006", "lymphostat-b"});
  CHECK(graph.group("MEDI 546") == Names{"anifrolumab", "anifrolumab-fnia", "medi546", "saphnelo"});
  auto path = graph.explain("GA-101", "Gazyvaro");
  REQUIRE(path.size() == 2);
  CHECK(path[0].provenances.front().find("Gazyva") != std::string::npos);
}

TEST_CASE("aliases.tsv: names, sources, kinds and bad lines", "[analyzers]") {
  TempDir dir;
  auto path = write(dir, "aliases.tsv",
                    "# my aliases\n"
                    "\n"
                    "CC-97540\tBMS-986353\tsource=BMS press release\n"  // line 3
                    "zetomipzomib\tKZR-616\r\n"                         // line 4
                    "SLE\tlupus\tkind=condition\tsource=my notes\n"     // line 5
                    "only one name\n"                                   // bad
                    "CC-97540\tcc 97540\n"                              // bad: one key
                    "a drug\tanother\tkind=device\n"                    // bad kind
                    "a drug\tanother\tsorce=typo\n"                     // bad option
                    "caf\xc3\tcafe\n"                                   // bad UTF-8
                    "  \t  \n"
                    "belimumab\t\tBenlysta\t\n");  // line 12
  LexiconLoad load = trialsearch::load_alias_tsv(path);
  CHECK(load.format == "alias-tsv");
  CHECK(load.skipped_lines == 5);
  REQUIRE(load.entries.size() == 4);
  CHECK(load.entries[0].names == Names{"CC-97540", "BMS-986353"});
  CHECK(load.entries[0].provenance == "BMS press release");
  CHECK(load.entries[0].kind == "drug");
  CHECK(load.entries[1].names == Names{"zetomipzomib", "KZR-616"});
  CHECK(load.entries[1].provenance == "aliases.tsv line 4");
  CHECK(load.entries[2].kind == "condition");
  CHECK(load.entries[2].provenance == "my notes");
  CHECK(load.entries[3].names == Names{"belimumab", "Benlysta"});
  CHECK(load.entries[3].provenance == "aliases.tsv line 12");

  LexiconLoad detected = trialsearch::load_lexicon(path);
  CHECK(detected.format == "alias-tsv");
  CHECK(detected.entries.size() == 4);
}

TEST_CASE("DrugBank CSV: quoting, synonyms, bad records", "[analyzers]") {
  TempDir dir;
  auto path = write(
      dir, "vocab.csv",
      "\xef\xbb\xbf"
      "DrugBank ID,Accession Numbers,Common name,CAS,UNII,Synonyms,Standard InChI Key\r\n"
      "DB00002,BTD00071 | BIOD00071,Cetuximab,205923-56-4,PQX0D8J21J,Cetuximab | C\xc3\xa9tuximab "
      "| Cetuximabum,\r\n"
      "DB09999,\"\",\"Drug, \"\"quoted\"\"\",1-2-3,X,\"Alias one | Alias\ntwo\",KEY\n"
      "DB00003,only,four,fields\n"
      "XX00001,,Not a drug,,,,\n"
      "DB00004,,Lonely,,,,\n"
      "DB00005,,\"Broken,,,,,\n");
  LexiconLoad load = trialsearch::load_drugbank_csv(path);
  CHECK(load.format == "drugbank-csv");
  CHECK(load.skipped_lines == 3);
  REQUIRE(load.entries.size() == 3);
  CHECK(load.entries[0].names == Names{"Cetuximab", "Cetuximabum"});  // Cétuximab: same key
  CHECK(load.entries[0].provenance == "DrugBank DB00002");
  CHECK(load.entries[1].names == Names{"Drug, \"quoted\"", "Alias one", "Alias\ntwo"});
  CHECK(load.entries[2].names == Names{"Lonely"});
  CHECK(trialsearch::load_lexicon(path).entries.size() == 3);
}

TEST_CASE("Drugs@FDA TSV: single-ingredient brand pairs, deduplicated", "[analyzers]") {
  TempDir dir;
  std::string header =
      "ApplNo\tProductNo\tForm\tStrength\tReferenceDrug\tDrugName\tActiveIngredient\t"
      "ReferenceStandard\n";
  auto path = write(dir, "products.tsv",
                    header +
                        "125370\t001\tINJECTABLE\t120MG\t0\tBENLYSTA\tBELIMUMAB\t\n"
                        "125370\t002\tINJECTABLE\t400MG\t0\tBENLYSTA\tBELIMUMAB\t\n"
                        "761043\t001\tINJECTABLE\t200MG/ML\t0\tBENLYSTA\tBELIMUMAB\t0\n"
                        "000001\t001\tTABLET\t1MG\t0\tCOMBO\tDRUG A; DRUG B\t0\n"
                        "000002\t001\tTABLET\t1MG\t0\tMETHOTREXATE\tMETHOTREXATE\t0\n"
                        "000003\t001\tTABLET\n"
                        "000004\t001\tTABLET\t1MG\t0\t\tSOMETHING\t0\n");
  LexiconLoad load = trialsearch::load_drugsatfda_tsv(path);
  CHECK(load.format == "drugsatfda-tsv");
  CHECK(load.skipped_lines == 2);
  REQUIRE(load.entries.size() == 1);
  CHECK(load.entries[0].names == Names{"BENLYSTA", "BELIMUMAB"});
  CHECK(load.entries[0].provenance == "Drugs@FDA appl 125370");
  CHECK(trialsearch::load_lexicon(path).format == "drugsatfda-tsv");
}

TEST_CASE("lexicon loaders: unreadable files and bad headers name the file", "[analyzers]") {
  TempDir dir;
  auto missing = dir.path() / "missing.csv";
  auto check_throws = [](auto&& load, const std::filesystem::path& path, std::string part) {
    try {
      load(path);
      FAIL("no exception for " << path);
    } catch (const std::runtime_error& e) {
      std::string message = e.what();
      CHECK(message.find(path.string()) != std::string::npos);
      CHECK(message.find(part) != std::string::npos);
    }
  };
  check_throws(trialsearch::load_drugbank_csv, missing, "cannot open");
  check_throws(trialsearch::load_alias_tsv, missing, "cannot open");
  check_throws(trialsearch::load_lexicon, missing, "cannot open");

  auto wrong_csv = write(dir, "wrong.csv", "id,name\n1,x\n");
  check_throws(trialsearch::load_drugbank_csv, wrong_csv, ":1:");
  check_throws(trialsearch::load_lexicon, wrong_csv, ":1:");
  auto wrong_tsv = write(dir, "wrong.tsv", "ApplNo\tSomething\n");
  check_throws(trialsearch::load_drugsatfda_tsv, wrong_tsv, ":1:");
  check_throws(trialsearch::load_lexicon, wrong_tsv, ":1:");
  auto empty = write(dir, "empty.tsv", "");
  check_throws(trialsearch::load_drugsatfda_tsv, empty, ":1:");
}
