// Quoted phrases on an index built by DocumentBuilder: positions are kept for the short fields
// (title, condition, intervention...), not for the long ones (summary, eligibility).
#include <catch2/catch.hpp>

#include <regex>
#include <set>
#include <string>

#include "analyzers/fields.hpp"
#include "indexer/document_builder.hpp"
#include "query/trial_query_parser.hpp"

using namespace trialsearch;

namespace {

Trial make_trial(const std::string& id, const std::string& title, const std::string& condition,
                 const std::string& drug, const std::string& summary) {
  Trial t;
  t.nct_id = id;
  t.brief_title = title;
  t.conditions = {condition};
  Intervention i;
  i.name = drug;
  t.interventions.push_back(i);
  t.brief_summary = summary;
  t.eligibility_criteria = summary;
  return t;
}

Trial with_outcome(Trial t, const std::string& measure) {
  t.primary_outcomes.push_back({measure, "52 weeks", ""});
  return t;
}

Xapian::WritableDatabase phrase_db() {
  Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
  DocumentBuilder builder;
  for (const auto& t : {
           with_outcome(make_trial("NCT00000001", "Belimumab in lupus nephritis", "Lupus Nephritis",
                                   "Belimumab Injection", "Adults with chronic kidney disease."),
                        "Renal response rate"),
           with_outcome(make_trial("NCT00000002", "Nephritis after lupus", "Nephritis, Lupus",
                                   "Injection of Belimumab", "Disease of the kidney, chronic."),
                        "Complete renal response"),
       }) {
    auto built = builder.build(t);
    db.replace_document(built.id_term, built.document);
  }
  return db;
}

std::set<std::string> ids(const Xapian::Database& db, const std::string& query) {
  TrialQueryParser parser(db);
  Xapian::Enquire enquire(db);
  enquire.set_query(parser.parse(query, MatchMode::All));
  std::set<std::string> out;
  for (auto it : enquire.get_mset(0, 10)) {
    Xapian::Document doc = db.get_document(it);
    for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t)
      if ((*t).rfind("Qnct", 0) == 0) out.insert((*t).substr(1));
  }
  return out;
}

}  // namespace

TEST_CASE("quoted phrases match in order on the positional fields", "[query][phrase]") {
  auto db = phrase_db();
  const std::set<std::string> first{"nct00000001"};
  CHECK(ids(db, "\"lupus nephritis\"") == first);
  CHECK(ids(db, "title:\"lupus nephritis\"") == first);
  CHECK(ids(db, "cond:\"lupus nephritis\"") == first);
  CHECK(ids(db, "drug:\"belimumab injection\"") == first);
  CHECK(ids(db, "lupus nephritis").size() == 2);
}

TEST_CASE("long fields have no positions: a phrase there matches all its words",
          "[query][phrase]") {
  // Summary and eligibility are indexed without positions (BENCHMARKS.md, issue 3): a quoted
  // phrase matches its words in order in the positional fields, and all of its words anywhere
  // in the summary or eligibility criteria.
  CHECK_FALSE(field("summary").positional);
  CHECK_FALSE(field("eligibility").positional);
  for (const FieldSpec* f : {&field("title"), &field("condition"), &field("intervention")})
    CHECK(f->positional);
  auto db = phrase_db();
  CHECK(ids(db, "\"chronic kidney disease\"").size() == 2);
  CHECK(ids(db, "summary:\"chronic kidney disease\"").size() == 2);
  CHECK(ids(db, "eligibility:\"kidney disease\"").size() == 2);
  CHECK(ids(db, "summary:\"chronic lupus\"").empty());
  CHECK(ids(db, "summary:chronic summary:kidney summary:disease").size() == 2);
  CHECK(ids(db, "chronic kidney disease").size() == 2);
  // In a positional field the order still counts.
  CHECK(ids(db, "title:\"nephritis lupus\"").empty());
  TrialQueryParser parser(db);
  auto q = parser.parse("\"lupus nephritis\"", MatchMode::All).get_description();
  CHECK(q.find("PHRASE") != std::string::npos);
}

TEST_CASE("outcomes are searched like the summary: by unfielded words, without positions",
          "[query][phrase]") {
  // Outcome text is indexed once, with its prefix and without positions (a quarter of
  // indexing time when it was also in the free-text index: BENCHMARKS.md, "outcomes").
  CHECK_FALSE(field("outcome").positional);
  CHECK_FALSE(field("outcome").in_free_text);
  auto db = phrase_db();
  CHECK(ids(db, "renal").size() == 2);
  CHECK(ids(db, "outcome:renal").size() == 2);
  CHECK(ids(db, "outcome:rate") == std::set<std::string>{"nct00000001"});
  CHECK(ids(db, "title:renal").empty());
  // a phrase there is all of its words, in any order
  CHECK(ids(db, "outcome:\"response renal\"").size() == 2);
  CHECK(ids(db, "\"renal response\"").size() == 2);
}

TEST_CASE("a quoted phrase in order ranks above its words in summary or eligibility only",
          "[query][phrase]") {
  Xapian::WritableDatabase db = phrase_db();
  DocumentBuilder builder;
  // the words many times over, in summary and eligibility only (no positions there)
  std::string words;
  for (int i = 0; i < 20; ++i) words += "lupus nephritis ";
  auto built =
      builder.build(make_trial("NCT00000003", "Kidney trial", "Kidney Diseases", "Placebo", words));
  db.replace_document(built.id_term, built.document);
  TrialQueryParser parser(db);
  auto tiers = parser.parse_tiers("\"lupus nephritis\"", MatchMode::Relaxed);
  REQUIRE(!tiers.top.empty());
  auto ranked = [&](const Xapian::Query& q) {
    Xapian::Enquire enquire(db);
    enquire.set_query(q);
    Xapian::MSet mset = enquire.get_mset(0, 10);
    std::vector<std::pair<std::string, double>> out;
    for (auto it = mset.begin(); it != mset.end(); ++it)
      out.emplace_back(it.get_document().get_value(kSlotNctId), it.get_weight());
    return out;
  };
  auto whole = ranked(tiers.query);
  REQUIRE(whole.size() == 2);
  CHECK(whole[0].first == "NCT00000001");  // "lupus nephritis" in its title and condition
  CHECK(whole[1].first == "NCT00000003");
  // the top tier: the in-order trials, weighed as in the whole query
  auto top = ranked(tiers.top);
  REQUIRE(top.size() == 1);
  CHECK(top[0].first == "NCT00000001");
  CHECK(top[0].second == Approx(whole[0].second));
  // the tier below the top is bounded by the query without the in-order boost
  CHECK(ranked(tiers.rest).size() == 2);
}

TEST_CASE("a relaxed query's phrase boost looks for the phrase in the fields that name a trial",
          "[query][phrase]") {
  // Title, condition, intervention, keyword and MeSH: short position lists. Not the free-text
  // index (outcomes, sites, sponsors too), where checking the phrase cost as much as the
  // all-words tier, nor summary and eligibility, which keep no positions.
  auto db = phrase_db();
  TrialQueryParser parser(db);
  auto tiers = parser.parse_tiers("chronic kidney disease", MatchMode::Relaxed);
  auto phrase_on = [](const std::string& d, const std::string& prefix) {
    return std::regex_search(d, std::regex("[ (]" + prefix + "chronic@[0-9]+ PHRASE 3"));
  };
  for (const auto& q : {tiers.query, tiers.top}) {
    std::string d = q.get_description();
    INFO(d);
    for (const FieldSpec* f : {&field("title"), &field("condition"), &field("intervention"),
                               &field("keyword"), &field("mesh")})
      CHECK(phrase_on(d, std::string(f->prefix)));
    CHECK_FALSE(phrase_on(d, ""));  // the free-text index
    for (const FieldSpec* f :
         {&field("summary"), &field("eligibility"), &field("outcome"), &field("site")})
      CHECK_FALSE(phrase_on(d, std::string(f->prefix)));
  }
}
