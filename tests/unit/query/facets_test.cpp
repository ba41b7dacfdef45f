// Facet counting: every value of a multi-valued facet slot counted once per matching trial,
// over the whole match set (not the page), most frequent first.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "analyzers/errors.hpp"
#include "indexer/document_builder.hpp"
#include "query/searcher.hpp"

using namespace trialsearch;

namespace {

Trial trial(const std::string& id, const std::string& title, const std::string& status,
            const std::vector<std::string>& phases, const std::vector<std::string>& countries) {
  Trial t;
  t.nct_id = id;
  t.brief_title = title;
  t.overall_status = status;
  t.phases = phases;
  for (const auto& c : countries) {
    Site s;
    s.facility = "Hospital";
    s.country = c;
    t.sites.push_back(s);
  }
  return t;
}

Xapian::WritableDatabase facet_db() {
  Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
  DocumentBuilder b;
  for (const auto& t : {
           trial("NCT00000001", "lupus one", "RECRUITING", {"PHASE1", "PHASE2"},
                 {"France", "Germany", "France"}),
           trial("NCT00000002", "lupus two", "RECRUITING", {"PHASE2"}, {"Germany"}),
           trial("NCT00000003", "lupus three", "COMPLETED", {"PHASE3"}, {}),
           trial("NCT00000004", "asthma four", "COMPLETED", {"PHASE2"}, {"Spain"}),
       })
    db.add_document(b.build(t).document);
  return db;
}

std::vector<std::pair<std::string, std::uint64_t>> counts(const SearchResult& r,
                                                          const std::string& facet) {
  std::vector<std::pair<std::string, std::uint64_t>> out;
  for (const auto& f : r.facets)
    if (f.name == facet)
      for (const auto& c : f.counts) out.emplace_back(c.value, c.count);
  return out;
}

}  // namespace

TEST_CASE("facets count the whole match set, each value once per trial", "[query][facets]") {
  auto db = facet_db();
  SearchOptions o;
  o.query = "lupus";
  o.limit = 1;  // the page holds one hit; the facets count all three matches
  o.facets = {"status", "phase", "country"};
  SearchResult r = search(db, o);
  REQUIRE(r.hits.size() == 1);
  using Counts = std::vector<std::pair<std::string, std::uint64_t>>;
  CHECK(counts(r, "status") == Counts{{"recruiting", 2}, {"completed", 1}});
  // a trial in phases 1 and 2 counts under both; most frequent first, then by value
  CHECK(counts(r, "phase") == Counts{{"phase2", 2}, {"phase1", 1}, {"phase3", 1}});
  // France twice in one trial counts once; the asthma trial's Spain is not a match
  CHECK(counts(r, "country") == Counts{{"germany", 2}, {"france", 1}});
}

TEST_CASE("facets follow the filters, and an unknown facet is a usage error", "[query][facets]") {
  auto db = facet_db();
  SearchOptions o;
  o.facets = {"status"};
  o.filters.phase = {"2"};
  SearchResult r = search(db, o);
  using Counts = std::vector<std::pair<std::string, std::uint64_t>>;
  // phase 2: the two recruiting lupus trials and the completed asthma trial
  CHECK(counts(r, "status") == Counts{{"recruiting", 2}, {"completed", 1}});
  o.facets = {"colour"};
  CHECK_THROWS_AS(search(db, o), UsageError);
}
