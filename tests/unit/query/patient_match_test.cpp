// match's concepts on an index built by DocumentBuilder: a trial's keyword, whole, is a name of
// the index's vocabulary that a description can be found to contain.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "indexer/document_builder.hpp"
#include "query/patient_match.hpp"

using namespace trialsearch;

namespace {

Trial make_trial(const std::string& id, const std::string& title, const std::string& condition,
                 const std::vector<std::string>& keywords) {
  Trial t;
  t.nct_id = id;
  t.brief_title = title;
  t.conditions = {condition};
  t.keywords = keywords;
  t.brief_summary = title + ". Adults with " + condition + ".";
  return t;
}

// Two trials about insomnia, the first listing "Sleep Hygiene" among its keywords when
// `keyword`, and 300 about hypertension whose eligibility asks for a physical examination, one
// of which lists "Physical Examination" as a keyword.
Xapian::WritableDatabase insomnia_db(bool keyword) {
  Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
  DocumentBuilder builder;
  std::vector<std::string> keywords{"insomnia"};
  if (keyword) keywords.emplace_back("Sleep Hygiene");
  std::vector<Trial> trials{
      make_trial("NCT00000001", "Education for better sleep", "Insomnia", keywords),
      make_trial("NCT00000002", "Melatonin for insomnia", "Insomnia", {})};
  for (int i = 0; i < 300; ++i) {
    trials.push_back(make_trial(
        "NCT10" + std::to_string(100000 + i), "Blood pressure study", "Hypertension",
        i == 0 ? std::vector<std::string>{"Physical Examination"} : std::vector<std::string>{}));
    trials.back().eligibility_criteria = "A normal physical examination.";
  }
  for (const auto& t : trials) {
    auto built = builder.build(t);
    db.replace_document(built.id_term, built.document);
  }
  return db;
}

// The concept named `name` that `text` was found to contain in `db`, if any.
std::vector<PatientConcept> concepts_named(const Xapian::Database& db, const std::string& text,
                                           const std::string& name) {
  MatchOptions o;
  o.text = text;
  std::vector<PatientConcept> out;
  for (auto& c : match_patient(db, o).concepts)
    if (c.name == name) out.push_back(std::move(c));
  return out;
}

const std::string kPatient =
    "A 45-year-old woman with insomnia for two years; poor sleep hygiene, with late screens and "
    "coffee in the evening, and no other illness.";

}  // namespace

TEST_CASE("match finds a trial's keyword in a description as a concept from \"keyword\"",
          "[query][match][keyword]") {
  const auto with = insomnia_db(true);
  auto found = concepts_named(with, kPatient, "sleep hygiene");
  REQUIRE(found.size() == 1);
  CHECK(found.front().sources == std::vector<std::string>{"keyword"});
  CHECK(found.front().role == WordRole::Positive);
  // a keyword that is also a listed condition has both sources
  auto insomnia = concepts_named(with, kPatient, "insomnia");
  REQUIRE(insomnia.size() == 1);
  CHECK(insomnia.front().sources == std::vector<std::string>{"condition", "keyword"});

  // a keyword whose words are in many trials' text is not specific enough to be a concept
  CHECK(concepts_named(with, kPatient + " She had a physical examination today.",
                       "physical examination")
            .empty());
  // no trial has the keyword: not a concept
  const auto without = insomnia_db(false);
  CHECK(concepts_named(without, kPatient, "sleep hygiene").empty());
  // the description does not say it
  CHECK(concepts_named(with, "A 45-year-old woman with insomnia for two years, sleeping badly.",
                       "sleep hygiene")
            .empty());
  // negated: found, but not the patient's
  auto negated = concepts_named(with, "A woman with insomnia. She denies poor sleep hygiene.",
                                "sleep hygiene");
  REQUIRE(negated.size() == 1);
  CHECK(negated.front().role == WordRole::Negated);
}
