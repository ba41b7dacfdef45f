// Analyzer and document-builder tables: record text in, terms out.
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>
#include <string>

#include "analyzers/cached_stemmer.hpp"
#include "analyzers/fields.hpp"
#include "analyzers/text_fold.hpp"
#include "indexer/document_builder.hpp"

using namespace trialsearch;

namespace {

std::set<std::string> terms_of(const Xapian::Document& doc) {
  std::set<std::string> out;
  for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) out.insert(*t);
  return out;
}

Trial trial_with_intervention(const std::string& name, const std::vector<std::string>& other = {}) {
  Trial t;
  t.nct_id = "NCT01234567";
  t.brief_title = "A study";
  Intervention i;
  i.type = "DRUG";
  i.name = name;
  i.other_names = other;
  t.interventions.push_back(i);
  return t;
}

}  // namespace

TEST_CASE("fold: case, accents, dashes", "[analyzers][fold]") {
  struct Row {
    std::string in, out;
  };
  for (const auto& r : std::vector<Row>{{"Würzburg", "wurzburg"},
                                        {"São Paulo", "sao paulo"},
                                        {"CC\u201197540", "cc-97540"},
                                        {"ＣＣ－９７５４０", "cc-97540"},
                                        {"Straße", "strasse"},
                                        {"a\x01"
                                         "b",
                                         "a b"}}) {
    INFO(r.in);
    CHECK(fold(r.in) == r.out);
  }
}

TEST_CASE("split_words: runs of letters, digits and non-ASCII bytes", "[analyzers][fold]") {
  using Words = std::vector<std::string>;
  CHECK(split_words("lupus nephritis, class-iv (2023)") ==
        Words{"lupus", "nephritis", "class", "iv", "2023"});
  CHECK(split_words("  ") == Words{});
  CHECK(split_words("ø-ring") == Words{"ø", "ring"});
}

TEST_CASE("stem_of gives a word's term as the index holds it", "[analyzers][stem]") {
  CHECK(stem_of("nephritis") == "nephriti");
  CHECK(stem_of("studies") == "studi");
  CHECK(stem_of("cc97540") == "cc97540");
}

TEST_CASE("drug codes in every spelling give one canonical term", "[indexer][terms]") {
  DocumentBuilder builder;
  struct Row {
    std::string name, expected_term;
  };
  for (const auto& r : std::vector<Row>{{"CC-97540", "cc97540"},
                                        {"CC97540", "cc97540"},
                                        {"CC 97540", "cc97540"},
                                        {"CC\u201197540", "cc97540"},
                                        {"BMS-986353", "bms986353"},
                                        {"IMC-002", "imc002"},
                                        {"MEDI-546", "medi546"}}) {
    INFO(r.name);
    auto terms = terms_of(builder.build(trial_with_intervention(r.name)).document);
    CHECK(terms.count(r.expected_term));
    CHECK(terms.count(make_term(field("intervention").prefix, r.expected_term)));
    CHECK(terms.count(make_term(field("drug-code").prefix, r.expected_term)));
  }
}

TEST_CASE("ordinary hyphenated words stay words", "[indexer][terms]") {
  DocumentBuilder builder;
  Trial t = trial_with_intervention("placebo");
  t.eligibility_criteria = "anti-dsDNA positive; non-Hodgkin lymphoma; COVID-19 infection";
  auto terms = terms_of(builder.build(t).document);
  const std::string e(field("eligibility").prefix);
  for (const char* word : {"anti", "dsdna", "non", "hodgkin", "covid", "19"}) {
    INFO(word);
    CHECK(terms.count(e + word));
  }
  CHECK_FALSE(terms.count(e + "antidsdna"));
  CHECK_FALSE(terms.count(e + "nonhodgkin"));
  // long fields are indexed once, with their prefix only
  CHECK_FALSE(terms.count("dsdna"));
}

TEST_CASE("fields get their prefixes, filters and values", "[indexer][terms]") {
  DocumentBuilder builder;
  Trial t = trial_with_intervention("Belimumab", {"Benlysta"});
  t.overall_status = "NOT_YET_RECRUITING";
  t.phases = {"PHASE2", "PHASE3"};
  t.study_type = "INTERVENTIONAL";
  t.conditions = {"Lupus Nephritis"};
  t.sex = "FEMALE";
  t.healthy_volunteers = false;
  t.std_ages = {"ADULT"};
  t.lead_sponsor = {"Renji Hospital", "OTHER"};
  Site s;
  s.facility = "Uniklinik";
  s.city = "Würzburg";
  s.country = "Germany";
  t.sites.push_back(s);
  t.condition_mesh = {"Lupus Erythematosus, Systemic"};
  t.start_date = "2023-09-13";
  BuiltDocument built = builder.build(t);
  auto terms = terms_of(built.document);
  CHECK(terms.count("Qnct01234567"));
  CHECK(built.id_term == "Qnct01234567");
  // words are indexed as their stems only (kStemLanguage): no unstemmed or `Z` copy
  CHECK(terms.count("XCnephriti"));
  CHECK_FALSE(terms.count("XCnephritis"));
  CHECK(terms.count("nephriti"));
  CHECK(std::none_of(terms.begin(), terms.end(),
                     [](const std::string& term) { return term.starts_with("Z"); }));
  CHECK(terms.count("XIbenlysta"));
  CHECK(terms.count("XDNbelimumab"));
  CHECK(terms.count("XDNbenlysta"));
  CHECK(terms.count("XSTnot_yet_recruiting"));
  CHECK(terms.count("XPHphase2"));
  CHECK(terms.count("XPHphase3"));
  CHECK(terms.count("XTYinterventional"));
  CHECK(terms.count("XSXfemale"));
  CHECK(terms.count("XHVno"));
  CHECK(terms.count("XAGadult"));
  CHECK(terms.count("XCOgermany"));
  CHECK(terms.count("XSCother"));
  CHECK(terms.count("XCIwurzburg"));
  CHECK(terms.count("wurzburg"));
  CHECK(terms.count("XMTlupus_erythematosus_systemic"));
  CHECK(terms.count("XRSno"));
  CHECK(Xapian::sortable_unserialise(built.document.get_value(kSlotStartDate)) == 20230913);
  CHECK(built.document.get_value(kSlotNctId) == "NCT01234567");
  CHECK(built.document.get_value(kSlotFacetPhase) ==
        std::string("phase2") + kFacetSeparator + "phase3");
  REQUIRE(built.alias_groups.size() == 1);
  CHECK(built.alias_groups[0] == std::vector<std::string>{"Belimumab", "Benlysta"});
}

TEST_CASE("titles of the form CODE (CODE) link the two codes", "[indexer][terms]") {
  DocumentBuilder builder;
  Trial t = trial_with_intervention("placebo");
  t.brief_title = "A Study of CC-97540 (BMS-986353) in Lupus";
  auto built = builder.build(t);
  REQUIRE(built.alias_groups.size() == 1);
  CHECK(built.alias_groups[0] == std::vector<std::string>{"CC-97540", "BMS-986353"});
}

TEST_CASE("content hash ignores where a record was read from", "[indexer]") {
  Trial a = trial_with_intervention("x");
  Trial b = a;
  b.origin.file = "elsewhere.json";
  CHECK(content_hash(a) == content_hash(b));
  b.brief_title = "changed";
  CHECK(content_hash(a) != content_hash(b));
}
