// similar: a drug and its aliases are one concept, weighed and shown once.
#include <catch2/catch.hpp>

#include <fstream>
#include <string>
#include <vector>

#include "indexer/index_writer.hpp"
#include "query/similar_trials.hpp"
#include "query/trial_database.hpp"
#include "tests/support/test_support.hpp"

using namespace trialsearch;

TEST_CASE("similar counts a drug and its aliases as one concept", "[query][similar][aliases]") {
  test::TempDir dir;
  std::string db = (dir.path() / "db").string();
  auto path = dir.path() / "a.jsonl";
  {
    std::ofstream out(path);
    // the source names bortezomib three ways; others name it, or one alias, or another drug
    out << test::study_json("NCT00000001", "Waldenstrom study", "bortezomib", {"Velcade", "PS-341"})
        << "\n"
        << test::study_json("NCT00000002", "Myeloma study", "bortezomib", {"Velcade"}) << "\n"
        << test::study_json("NCT00000003", "Glioma study", "Velcade") << "\n"
        << test::study_json("NCT00000004", "Leukemia study", "PS-341") << "\n";
    for (int i = 5; i < 40; ++i)
      out << test::study_json("NCT000000" + std::to_string(10 + i), "Other study",
                              "drug" + std::to_string(i))
          << "\n";
  }
  IndexOptions o;
  o.db_path = db;
  o.threads = 1;
  index_sources({path.string()}, o, {});
  SimilarResult r = with_database(db, [](const Xapian::Database& d) {
    SimilarOptions s;
    s.ids = {"NCT00000001"};
    s.explain = true;
    s.only = {"drug"};
    return find_similar(d, s);
  });
  std::size_t concepts = 0;
  for (const auto& t : r.terms) {
    INFO(t.term << " " << t.word);
    if (t.word.find("bortezomib") != std::string::npos ||
        t.word.find("velcade") != std::string::npos || t.word.find("ps341") != std::string::npos)
      ++concepts;
  }
  CHECK(concepts == 1);
  // each suggestion shows the concept once
  REQUIRE(!r.hits.empty());
  for (const auto& h : r.hits) {
    std::size_t shown = 0;
    for (const auto& s : h.shared)
      if (s.group == "drug") ++shown;
    CHECK(shown == 1);
  }
}
