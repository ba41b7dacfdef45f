// Reading a patient's description: negation, relatives, age and sex (query/patient_text).
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "analyzers/errors.hpp"
#include "query/patient_text.hpp"

using namespace trialsearch;

namespace {

// The words of `text` read in `role`, space-separated.
std::string words_in(const PatientText& t, WordRole role) {
  std::string out;
  for (std::size_t i = 0; i < t.words.size(); ++i)
    if (t.roles[i] == role) out += (out.empty() ? "" : " ") + t.words[i];
  return out;
}

}  // namespace

TEST_CASE("negation, relatives and history: which words are the patient's", "[query][patient]") {
  struct Row {
    std::string text;
    std::string negated;
    std::string family;
  };
  const std::vector<Row> rows{
      {"She denies chest pain.", "denies chest pain", ""},
      {"No history of diabetes. History of hypertension.", "no history of diabetes", ""},
      {"Mother had breast cancer.", "", "mother had breast cancer"},
      {"His father died of a stroke at 60; he smokes.", "", "father died of a stroke at 60"},
      {"Family history of colon cancer.", "", "family history of colon cancer"},
      // a relative who only reports is not a family history
      {"Her mother reports that she has a fever.", "", ""},
      // the scope ends with the clause: "but" ends it
      {"Denies smoking, diabetes or asthma but has hypertension.",
       "denies smoking diabetes or asthma", ""},
      {"Pneumonia was ruled out. Cough persists.", "pneumonia was ruled out", ""},
      {"Without fever", "without fever", ""},
      // a decimal point ends no clause
      {"Creatinine 1.5 without edema", "without edema", ""},
      {"A 66-year-old woman with joint pain in the hands", "", ""},
  };
  for (const auto& row : rows) {
    INFO(row.text);
    PatientText t = read_patient_text(row.text);
    CHECK(words_in(t, WordRole::Negated) == row.negated);
    CHECK(words_in(t, WordRole::Family) == row.family);
  }
}

TEST_CASE("age and sex phrases", "[query][patient]") {
  struct Row {
    std::string text;
    double age;  // -1: none
    std::string sex;
  };
  const std::vector<Row> rows{
      {"A 66-year-old woman with joint pain in the hands", 66, "female"},
      {"A 4-month-old boy with fever", 4.0 / 12, "male"},
      {"a 3 week old girl", 3 * 7.0 / 365, "female"},
      {"58 yo male, chest pain", 58, "male"},
      {"Patient aged 70 presents with dyspnea. He smokes.", 70, "male"},
      {"An 8-year-old male presents in March", 8, "male"},
      {"She is 45.", -1, "female"},
      {"Chest pain for two days.", -1, ""},
  };
  for (const auto& row : rows) {
    INFO(row.text);
    PatientText t = read_patient_text(row.text);
    if (row.age < 0) {
      CHECK_FALSE(t.age_years.has_value());
    } else {
      REQUIRE(t.age_years.has_value());
      CHECK(*t.age_years == Approx(row.age));
    }
    CHECK(t.sex == row.sex);
  }
  CHECK(read_patient_text("A 66-year-old woman").age_phrase == "66-year-old");
  CHECK(read_patient_text("A 66-year-old woman").sex_word == "woman");
}

TEST_CASE("clauses: sentences and 'but'; words folded", "[query][patient]") {
  PatientText t = read_patient_text("Fever; cough. Rash but NO itching\nSjögren's");
  CHECK(t.words ==
        std::vector<std::string>{"fever", "cough", "rash", "no", "itching", "sjogren's"});
  CHECK(t.clause_starts == std::vector<std::size_t>{0, 1, 2, 3, 5});
  CHECK(t.clause_end(3) == 5);
  CHECK(words_in(t, WordRole::Negated) == "no itching");
}

TEST_CASE("a description is read up to kMaxPatientWords words", "[query][patient][limits]") {
  std::string at_limit, over;
  for (std::size_t i = 0; i < kMaxPatientWords; ++i) at_limit += "pain ";
  over = at_limit + "pain";
  CHECK(read_patient_text(at_limit).words.size() == kMaxPatientWords);
  CHECK_THROWS_AS(read_patient_text(over), UsageError);
}

TEST_CASE("narrative stopwords: common and narrative words, not negations", "[query][patient]") {
  for (const char* w : {"the", "a", "presents", "year", "old", "with"})
    CHECK(is_narrative_stopword(w));
  for (const char* w : {"no", "not", "without", "pain", "cancer"})
    CHECK_FALSE(is_narrative_stopword(w));
}
