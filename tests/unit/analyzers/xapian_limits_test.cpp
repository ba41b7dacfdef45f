// Xapian 1.4's limits, kept at the door: terms (245 bytes), spelling words and synonym keys
// (B-tree keys of 255 bytes), checked on both sides of each limit and against a real database.
#include <xapian.h>
#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "analyzers/fields.hpp"
#include "indexer/document_builder.hpp"
#include "tests/support/test_support.hpp"

using namespace trialsearch;

TEST_CASE("make_term keeps every term within 245 bytes, at a character boundary",
          "[analyzers][limits]") {
  // prefix "XCO" (3 bytes) + value: 244, 245 and 246 bytes in all
  CHECK(make_term("XCO", std::string(241, 'a')).size() == 244);
  CHECK(make_term("XCO", std::string(242, 'a')).size() == 245);
  CHECK(make_term("XCO", std::string(243, 'a')).size() == kMaxTermBytes);
  CHECK(make_term("XCO", std::string(243, 'a')) == "XCO" + std::string(242, 'a'));
  // a colon after the prefix counts too
  CHECK(make_term("XCO", "A" + std::string(300, 'a')).size() == kMaxTermBytes);
  // "é" (2 bytes) across the limit: cut before it, never inside it
  std::string term = make_term("XCO", std::string(241, 'a') + "\xc3\xa9" + "b");
  CHECK(term == "XCO" + std::string(241, 'a'));
  // a short term is unchanged
  CHECK(make_term("XCO", "france") == "XCOfrance");
}

TEST_CASE("spelling words and synonym keys: within the key limit or left out",
          "[analyzers][limits]") {
  CHECK(fits_spelling_word(std::string(254, 'a')));
  CHECK_FALSE(fits_spelling_word(std::string(255, 'a')));
  CHECK_FALSE(fits_spelling_word(std::string(256, 'a')));
  CHECK(fits_synonym_key(std::string(254, 'a')));
  CHECK(fits_synonym_key(std::string(255, 'a')));
  CHECK_FALSE(fits_synonym_key(std::string(256, 'a')));
}

TEST_CASE("what the limits let through, Xapian takes", "[analyzers][limits]") {
  test::TempDir dir;
  Xapian::WritableDatabase db((dir.path() / "db").string(), Xapian::DB_CREATE);
  Xapian::Document doc;
  for (std::size_t n : {244, 245, 246, 300}) doc.add_term(make_term("XCO", std::string(n, 'c')));
  db.add_document(doc);
  for (std::size_t n : {253, 254, 255, 256})
    if (fits_spelling_word(std::string(n, 's'))) db.add_spelling(std::string(n, 's'));
  for (std::size_t n : {254, 255, 256})
    if (fits_synonym_key(std::string(n, 'k'))) db.add_synonym(std::string(n, 'k'), "x");
  CHECK_NOTHROW(db.commit());
  CHECK(db.get_doccount() == 1);
  std::set<std::size_t> spelled, keys;
  for (auto w = db.spellings_begin(); w != db.spellings_end(); ++w) spelled.insert((*w).size());
  CHECK(spelled == std::set<std::size_t>{253, 254});
  for (auto k = db.synonym_keys_begin(); k != db.synonym_keys_end(); ++k) keys.insert((*k).size());
  CHECK(keys == std::set<std::size_t>{254, 255});
}

TEST_CASE(
    "a record with words, names and countries over the limits builds a document Xapian "
    "takes",
    "[indexer][limits]") {
  Trial t;
  t.nct_id = "NCT01234567";
  t.brief_title = "A " + std::string(300, 'w') + " study";
  t.conditions = {std::string(260, 'c')};
  Intervention i;
  i.type = "DRUG";
  i.name = "drug " + std::string(290, 'x');
  i.other_names = {std::string(250, 'o')};
  t.interventions.push_back(i);
  Site s;
  s.facility = "F";
  s.country = std::string(300, 'q');
  t.sites.push_back(s);
  DocumentBuilder builder;
  BuiltDocument built = builder.build(t);
  for (auto term = built.document.termlist_begin(); term != built.document.termlist_end(); ++term)
    CHECK((*term).size() <= kMaxTermBytes);
  for (const auto& w : built.spelling_words) CHECK(fits_spelling_word(w));
  test::TempDir dir;
  Xapian::WritableDatabase db((dir.path() / "db").string(), Xapian::DB_CREATE);
  db.add_document(built.document);
  for (const auto& w : built.spelling_words) db.add_spelling(w);
  CHECK_NOTHROW(db.commit());
}

TEST_CASE("document_within_limits names the first term Xapian would refuse", "[indexer][limits]") {
  Xapian::Document ok;
  ok.add_term(std::string(245, 'a'));
  CHECK(document_within_limits(ok).empty());
  Xapian::Document bad;
  bad.add_term("short");
  bad.add_term(std::string(246, 'b'));
  CHECK(document_within_limits(bad).find("246 bytes") != std::string::npos);
}
