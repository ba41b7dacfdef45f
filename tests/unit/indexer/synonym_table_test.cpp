// Synonym writing: the alias lists and Xapian's synonym table written from an expander, for the
// names the index holds, and rewritten whole on the next run.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "analyzers/alias_expansion.hpp"
#include "analyzers/alias_graph.hpp"
#include "analyzers/fields.hpp"
#include "indexer/document_builder.hpp"
#include "indexer/synonym_table.hpp"
#include "tests/support/test_support.hpp"

using namespace trialsearch;

namespace {

Trial with_drug(const std::string& id, const std::string& name) {
  Trial t;
  t.nct_id = id;
  t.brief_title = "A study";
  Intervention i;
  i.type = "DRUG";
  i.name = name;
  t.interventions.push_back(i);
  return t;
}

std::vector<std::string> synonyms(const Xapian::Database& db, const std::string& key) {
  return {db.synonyms_begin(key), db.synonyms_end(key)};
}

bool has(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

}  // namespace

TEST_CASE("write_alias_lists: lists and synonyms for indexed names, rewritten whole",
          "[indexer][synonyms]") {
  test::TempDir dir;  // the in-memory backend has no synonym table
  Xapian::WritableDatabase db((dir.path() / "db").string(), Xapian::DB_CREATE);
  DocumentBuilder b;
  db.add_document(b.build(with_drug("NCT00000001", "CC-97540")).document);
  db.add_document(b.build(with_drug("NCT00000002", "BMS-986353")).document);
  AliasGraph graph;
  graph.link_group({"CC-97540", "BMS-986353"}, "NCT00000003");

  SynonymCounts written = write_alias_lists(db, AliasExpander(graph, {}, nullptr));
  CHECK(written.keys > 0);
  CHECK(alias_list_count(db) >= 2);
  const std::string other = make_term(field("drug-name").prefix, "bms986353");
  // the code's list reaches the other code's drug-name term, in free text and in drug:
  CHECK(has(alias_terms(db, "cc97540", AliasMode::On, AliasScope::Text), other));
  CHECK(has(alias_terms(db, "cc97540", AliasMode::On, AliasScope::DrugField), other));
  // QueryParser's synonym table: the unprefixed key, and the drug field's key
  CHECK(has(synonyms(db, "cc97540"), other));
  CHECK(has(synonyms(db, std::string(field("intervention").prefix) + "cc97540"), other));
  // a name no trial holds gets no list
  CHECK(alias_terms(db, "rituximab", AliasMode::On, AliasScope::Text).empty());

  // the next run has no link: the old lists and synonyms are gone
  write_alias_lists(db, AliasExpander(AliasGraph{}, {}, nullptr));
  CHECK(alias_terms(db, "cc97540", AliasMode::On, AliasScope::Text).empty());
  CHECK(synonyms(db, "cc97540").empty());
}
