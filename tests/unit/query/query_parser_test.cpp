// Query-parser tables: query string in, Xapian query out; and every field's query term equals
// the term the indexer writes.
#include <catch2/catch.hpp>

#include <map>
#include <set>

#include "analyzers/errors.hpp"
#include "analyzers/fields.hpp"
#include "indexer/document_builder.hpp"
#include "query/ranking.hpp"
#include "query/trial_query_parser.hpp"

using namespace trialsearch;

namespace {

Xapian::Database empty_db() { return Xapian::Database(std::string(), Xapian::DB_BACKEND_INMEMORY); }

// An unfielded word: the free-text index and the long fields indexed once (kDefaultSearchFields).
std::string word(const std::string& stem, int pos) {
  std::string p = "@" + std::to_string(pos);
  return "(SYNONYM (" + stem + p + " OR XB" + stem + p + " OR XE" + stem + p + " OR XO" + stem + p +
         "))";
}

// Plain words as ranked: each default field weighted as its own term (the words in one field
// first, then the next field).
std::string by_field(const std::vector<std::string>& stems) {
  std::string out;
  for (std::string prefix : {"", "XB", "XE", "XO"}) {
    std::string part;
    for (std::size_t i = 0; i < stems.size(); ++i)
      part += (i ? " OR " : "") + prefix + stems[i] + "@" + std::to_string(i + 1);
    out += (out.empty() ? "" : " OR ") + (stems.size() > 1 ? "(" + part + ")" : part);
  }
  return "(" + out + ")";
}

std::set<std::string> query_terms(const Xapian::Query& q) {
  return {q.get_unique_terms_begin(), q.get_unique_terms_end()};
}

}  // namespace

TEST_CASE("query strings parse to the expected queries", "[query][parser]") {
  auto db = empty_db();
  TrialQueryParser parser(db);
  struct Row {
    std::string query, description;
  };
  for (const auto& r : std::vector<Row>{
           {"lupus", "Query(" + by_field({"lupus"}) + ")"},
           {"CC-97540", "Query(" + by_field({"cc97540"}) + ")"},
           {"cc97540", "Query(" + by_field({"cc97540"}) + ")"},
           {"CC\u201197540", "Query(" + by_field({"cc97540"}) + ")"},
           {"lupus AND nephritis",
            "Query((" + word("lupus", 1) + " AND " + word("nephriti", 2) + "))"},
           {"lupus OR sle", "Query((" + word("lupus", 1) + " OR " + word("sle", 2) + "))"},
           {"lupus NOT pediatric",
            "Query((" + word("lupus", 1) + " AND_NOT " + word("pediatr", 2) + "))"},
           {"status:recruiting", "Query(0 * XSTrecruiting)"},
           {"status:\"Not yet recruiting\"", "Query(0 * XSTnot_yet_recruiting)"},
           {"phase:2", "Query(0 * XPHphase2)"},
           {"phase:1/2", "Query(0 * (XPHphase1 AND XPHphase2))"},
           {"cond:lupus", "Query(XClupus@1)"},
           {"drug:CC-97540", "Query(XIcc97540@1)"},
           {"id:NCT05869955", "Query(0 * Qnct05869955)"},
           {"Würzburg", "Query(" + by_field({"wurzburg"}) + ")"},
       }) {
    INFO(r.query);
    CHECK(parser.parse(r.query, MatchMode::All).get_description() == r.description);
  }
}

TEST_CASE("relaxed mode ranks all-word matches above partial ones", "[query][parser]") {
  auto db = empty_db();
  TrialQueryParser parser(db);
  std::string d = parser.parse("lupus nephritis", MatchMode::Relaxed).get_description();
  // every word: the AND of each word's by_field() query (the same terms as by_field() of both)
  CHECK(d.find("50 * (" + by_field({"lupus"}) + " AND " + by_field({"nephriti"}) + ")") !=
        std::string::npos);
  CHECK(d.find(") OR " + by_field({"lupus", "nephriti"}) + ")") != std::string::npos);
  CHECK(d.find("PHRASE") != std::string::npos);
}

TEST_CASE("relaxed queries of several plain words split into tiers", "[query][parser]") {
  auto db = empty_db();
  TrialQueryParser parser(db);
  auto tiers = parser.parse_tiers("lupus nephritis", MatchMode::Relaxed);
  CHECK(!tiers.top.empty());
  CHECK(tiers.rest.get_description() == "Query(" + by_field({"lupus", "nephriti"}) + ")");
  CHECK(tiers.query.get_description() ==
        parser.parse("lupus nephritis", MatchMode::Relaxed).get_description());
  CHECK(parser.parse_tiers("lupus", MatchMode::Relaxed).top.empty());
  CHECK(parser.parse_tiers("lupus nephritis", MatchMode::All).top.empty());
  CHECK(parser.parse_tiers("lupus nephritis", MatchMode::Any).top.empty());
  CHECK(parser.parse_tiers("lupus NCT01234567", MatchMode::Relaxed).top.empty());
  // a quoted phrase: in order first (phrase_test); not under NOT, nor where nothing keeps positions
  CHECK(!parser.parse_tiers("\"lupus nephritis\"", MatchMode::Relaxed).top.empty());
  CHECK(!parser.parse_tiers("\"lupus nephritis\"", MatchMode::All).top.empty());
  CHECK(parser.parse_tiers("\"lupus nephritis\" NOT child", MatchMode::Relaxed).top.empty());
  CHECK(parser.parse_tiers("summary:\"lupus nephritis\"", MatchMode::Relaxed).top.empty());
}

TEST_CASE("a trial with every word weighs the same in the top tier as in the whole query",
          "[query][parser]") {
  Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
  // trials with both words in various fields, one word only, or none
  std::vector<std::vector<std::pair<std::string, int>>> docs{
      {{"lupus", 9}, {"XBnephriti", 4}},
      {{"XBlupus", 8}, {"XBnephriti", 8}, {"XEnephriti", 1}},
      {{"lupus", 30}},
      {{"XEnephriti", 2}, {"other", 5}},
      {{"lupus", 1}, {"nephriti", 1}, {"filler", 40}},
      {{"other", 3}}};
  for (const auto& terms : docs) {
    Xapian::Document doc;
    for (const auto& [t, wdf] : terms) doc.add_term(t, wdf);
    db.add_document(doc);
  }
  TrialQueryParser parser(db);
  auto tiers = parser.parse_tiers("lupus nephritis", MatchMode::Relaxed);
  REQUIRE(!tiers.top.empty());
  auto weights = [&](const Xapian::Query& q) {
    Xapian::Enquire enquire(db);
    apply_ranking(enquire);
    enquire.set_query(q);
    std::map<Xapian::docid, double> out;
    Xapian::MSet mset = enquire.get_mset(0, 10);
    for (auto it = mset.begin(); it != mset.end(); ++it) out[*it] = it.get_weight();
    return std::pair{out, mset.get_max_possible()};
  };
  auto [whole, whole_max] = weights(tiers.query);
  auto [top, top_max] = weights(tiers.top);
  auto [rest, rest_max] = weights(tiers.rest);
  CHECK(top.size() == 3);  // trials 1, 2 and 5
  CHECK(whole.size() == 5);
  for (const auto& [id, w] : whole) {
    INFO("trial " << id);
    if (top.count(id))
      CHECK(top[id] == Approx(w));
    else
      CHECK(w <= rest_max);
  }
}

TEST_CASE("ranges on value slots", "[query][parser]") {
  auto db = empty_db();
  TrialQueryParser parser(db);
  auto q = parser.parse("start:2023..2025", MatchMode::All);
  CHECK(q.get_description() == Xapian::Query(Xapian::Query::OP_VALUE_RANGE, kSlotStartDate,
                                             Xapian::sortable_serialise(20230101),
                                             Xapian::sortable_serialise(20251231))
                                   .get_description());
  auto open = parser.parse("updated:2025-01-01..", MatchMode::All);
  CHECK(open.get_description() == Xapian::Query(Xapian::Query::OP_VALUE_GE, kSlotLastUpdate,
                                                Xapian::sortable_serialise(20250101))
                                      .get_description());
  CHECK_THROWS_AS(parser.parse("start:soon..later"), UsageError);
}

TEST_CASE("syntax errors are usage errors", "[query][parser]") {
  auto db = empty_db();
  TrialQueryParser parser(db);
  CHECK_THROWS_AS(parser.parse("lupus AND"), UsageError);
  // what QueryParser would read silently as something else
  for (std::string q : {"sponser:pfizer", "lupus class:industry", "title:(unclosed", "lupus)",
                        "start:2025..2023", "enrollment:500..100", "AREA[Foo]bar"}) {
    INFO(q);
    CHECK_THROWS_AS(parser.parse(q), UsageError);
  }
  for (std::string q : {"visit at 10:30", "lupus: kidney", "start:2023..2025",
                        "https://example.org/a:b", "AREA[Condition]lupus"}) {
    INFO(q);
    CHECK_NOTHROW(parser.parse(q));
  }
}

TEST_CASE("a value a closed filter field cannot hold is a usage error", "[query][parser]") {
  auto db = empty_db();
  TrialQueryParser parser(db);
  for (std::string q :
       {"status:bogus", "status:recruting", "phase:9", "type:foo", "sex:alien", "healthy:maybe",
        "agegroup:teen", "sponsorclass:pharma", "results:some", "country:narnia"}) {
    INFO(q);
    CHECK_THROWS_AS(parser.parse(q), UsageError);
  }
  CHECK_THROWS_WITH(parser.parse("cancer status:bogus"),
                    Catch::Contains("unknown status 'bogus'") && Catch::Contains("recruiting"));
  // every value of the registry's vocabularies, however spelled, and the open fields
  for (std::string q :
       {"status:withheld", "status:\"Not yet recruiting\"", "status:UNKNOWN", "phase:1/2",
        "phase:early_phase1", "phase:na", "type:expanded_access", "sex:female", "healthy:no",
        "agegroup:older_adult", "sponsorclass:nih", "results:yes", "country:germany", "country:USA",
        "country:uk", "meshterm:anything"}) {
    INFO(q);
    CHECK_NOTHROW(parser.parse(q));
  }
  // the flags are checked alike
  SearchFilters flags;
  flags.status = {"bogus"};
  CHECK_THROWS_WITH(parser.filter(flags), Catch::Contains("unknown status 'bogus'"));
  flags.status = {"Recruiting"};
  flags.phase = {"3"};
  CHECK_NOTHROW(parser.filter(flags));
  flags.phase = {"7"};
  CHECK_THROWS_AS(parser.filter(flags), UsageError);
}

TEST_CASE("a filter value outside the vocabulary is accepted when the database has it",
          "[query][parser]") {
  Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
  Xapian::Document doc;
  doc.add_boolean_term(make_term(field("status").prefix, "pending_review"));
  db.add_document(doc);
  TrialQueryParser parser(db);
  CHECK(parser.parse("status:pending_review").get_description() == "Query(0 * XSTpending_review)");
  CHECK_THROWS_AS(parser.parse("status:pending"), UsageError);
}

TEST_CASE("every field's query term equals the indexed term", "[query][schema]") {
  // Build one trial that has a value in every filter and text field, then check that
  // `field:value` finds its term among the document's terms.
  Trial t;
  t.nct_id = "NCT01234567";
  t.brief_title = "Belimumab title";
  t.conditions = {"Lupus"};
  Intervention i;
  i.name = "CC-97540";
  t.interventions.push_back(i);
  t.keywords = {"autoimmunity"};
  t.primary_outcomes = {{"remission", "", ""}};
  t.brief_summary = "summary words";
  t.lead_sponsor = {"Bristol", "INDUSTRY"};
  t.org_study_id = "CA061";
  t.condition_mesh = {"Lupus Erythematosus, Systemic"};
  t.condition_mesh_ids = {"D008180"};
  Site s;
  s.facility = "Clinic";
  s.city = "Paris";
  s.country = "France";
  t.sites.push_back(s);
  t.eligibility_criteria = "adults";
  t.overall_status = "ACTIVE_NOT_RECRUITING";
  t.phases = {"PHASE1"};
  t.study_type = "OBSERVATIONAL";
  t.sex = "ALL";
  t.healthy_volunteers = true;
  t.std_ages = {"OLDER_ADULT"};
  t.has_results = true;
  DocumentBuilder builder;
  Xapian::Document doc = builder.build(t).document;
  std::set<std::string> indexed{doc.termlist_begin(), doc.termlist_end()};

  struct Row {
    const FieldSpec* spec;
    std::string value;
  };
  auto db = empty_db();
  TrialQueryParser parser(db);
  for (const auto& r : std::vector<Row>{{&field("id"), "NCT01234567"},
                                        {&field("title"), "belimumab"},
                                        {&field("condition"), "lupus"},
                                        {&field("intervention"), "CC-97540"},
                                        {&field("keyword"), "autoimmunity"},
                                        {&field("outcome"), "remission"},
                                        {&field("summary"), "summary"},
                                        {&field("sponsor"), "bristol"},
                                        {&field("other-id"), "ca061"},
                                        {&field("mesh"), "erythematosus"},
                                        {&field("site"), "clinic"},
                                        {&field("city"), "paris"},
                                        {&field("eligibility"), "adults"},
                                        {&field("status"), "\"active, not recruiting\""},
                                        {&field("phase"), "1"},
                                        {&field("type"), "observational"},
                                        {&field("sex"), "all"},
                                        {&field("healthy"), "yes"},
                                        {&field("age-group"), "older_adult"},
                                        {&field("country"), "France"},
                                        {&field("sponsor-class"), "industry"},
                                        {&field("has-results"), "yes"},
                                        {&field("drug-name"), "cc97540"},
                                        {&field("drug-code"), "cc97540"},
                                        {&field("drug-primary"), "cc97540"},
                                        {&field("condition-name"), "lupus"},
                                        {&field("keyword-name"), "autoimmunity"},
                                        {&field("mesh-term"), "\"Lupus Erythematosus, Systemic\""},
                                        {&field("mesh-id"), "D008180"}}) {
    const FieldSpec& f = *r.spec;
    std::string name(f.query_names.substr(0, f.query_names.find(' ')));
    auto terms = query_terms(parser.parse(name + ":" + r.value, MatchMode::All));
    INFO(f.name << ":" << r.value);
    REQUIRE(!terms.empty());
    for (const auto& term : terms) {
      INFO(term);
      // text fields are stemmed at query time: the stemmed form must be indexed too
      CHECK(indexed.count(term));
    }
  }
  // every field of the schema is covered by the table above
  CHECK(kFields.size() == 29);
}
