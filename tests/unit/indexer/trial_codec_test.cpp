#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>

#include "analyzers/errors.hpp"
#include "indexer/format_readers.hpp"
#include "indexer/trial_codec.hpp"
#include "tests/support/test_support.hpp"

using trialsearch::Trial;
using trialsearch::trial_from_json;
using trialsearch::trial_to_json;

namespace {

// Every field set, with values that are easy to lose: false booleans, optionals, quotes,
// new lines, non-ASCII text and coordinates that need every digit.
Trial full_trial() {
  Trial t;
  t.nct_id = "NCT01234567";
  t.org_study_id = "ABC-001";
  t.secondary_ids = {"2020-001234-56", "R01 AI12345"};
  t.brief_title = "Drug \"X\" in Asthma";
  t.official_title = "Étude randomisée";
  t.acronym = "DX-A";
  t.overall_status = "RECRUITING";
  t.phases = {"PHASE1", "PHASE2"};
  t.study_type = "INTERVENTIONAL";
  t.conditions = {"Asthma"};
  t.keywords = {"inhaler"};
  t.condition_mesh = {"Asthma"};
  t.condition_mesh_ancestors = {"Lung Diseases"};
  t.intervention_mesh = {"Albuterol"};
  t.intervention_mesh_ancestors = {"Bronchodilator Agents"};
  t.condition_mesh_ids = {"D001249"};
  t.intervention_mesh_ids = {"D000420"};
  t.interventions = {{"DRUG", "Drug X", "10 mg", {"AB-123", "Xanthel"}, true}};
  t.arm_groups = {{"Arm A", "EXPERIMENTAL", "X daily", {"Drug: Drug X"}}};
  t.brief_summary = "Line one.\nLine two.";
  t.detailed_description = "Tab\there.";
  t.eligibility_criteria = "* adults";
  t.minimum_age = {"18 Years", 6570};
  t.maximum_age = {"N/A", std::nullopt};
  t.sex = "ALL";
  t.healthy_volunteers = false;
  t.std_ages = {"ADULT", "OLDER_ADULT"};
  t.lead_sponsor = {"Acme Pharma", "INDUSTRY"};
  t.collaborators = {{"NIAID", "NIH"}};
  t.sites = {{"Hôpital", "Paris", "Île-de-France", "75010", "France", "RECRUITING", 48.8566137,
              2.3522219}};
  t.start_date = "2020-03";
  t.primary_completion_date = "2022-06-30";
  t.completion_date = "2023-01-15";
  t.first_posted = "2020-02-14";
  t.last_update_posted = "2023-05-02";
  t.enrollment = 120;
  t.enrollment_type = "ESTIMATED";
  t.primary_outcomes = {{"FEV1", "12 weeks", "Lung function"}};
  t.secondary_outcomes = {{"Exacerbations", "1 year", ""}};
  t.related_nct_ids = {"NCT07654321"};
  t.has_results = true;
  t.origin = {"export.zip", "studies.jsonl", 42, "ctgov-json-v2"};
  return t;
}

constexpr std::string_view kFullJson =
    R"({"nct_id":"NCT01234567","org_study_id":"ABC-001","secondary_ids":["2020-001234-56","R01 AI12345"],)"
    R"("brief_title":"Drug \"X\" in Asthma","official_title":"Étude randomisée","acronym":"DX-A",)"
    R"("overall_status":"RECRUITING","phases":["PHASE1","PHASE2"],"study_type":"INTERVENTIONAL",)"
    R"("conditions":["Asthma"],"keywords":["inhaler"],"condition_mesh":["Asthma"],)"
    R"("condition_mesh_ancestors":["Lung Diseases"],"intervention_mesh":["Albuterol"],)"
    R"("intervention_mesh_ancestors":["Bronchodilator Agents"],"condition_mesh_ids":["D001249"],)"
    R"("intervention_mesh_ids":["D000420"],)"
    R"("interventions":[{"type":"DRUG","name":"Drug X","description":"10 mg",)"
    R"("other_names":["AB-123","Xanthel"],"other_names_inferred":true}],)"
    R"("arm_groups":[{"label":"Arm A","type":"EXPERIMENTAL","description":"X daily",)"
    R"("interventions":["Drug: Drug X"]}],)"
    R"("brief_summary":"Line one.\nLine two.","detailed_description":"Tab\there.",)"
    R"("eligibility_criteria":"* adults","minimum_age":{"text":"18 Years","days":6570},)"
    R"("maximum_age":{"text":"N/A"},"sex":"ALL","healthy_volunteers":false,)"
    R"("std_ages":["ADULT","OLDER_ADULT"],"lead_sponsor":{"name":"Acme Pharma","agency_class":"INDUSTRY"},)"
    R"("collaborators":[{"name":"NIAID","agency_class":"NIH"}],)"
    R"("sites":[{"facility":"Hôpital","city":"Paris","state":"Île-de-France","zip":"75010",)"
    R"("country":"France","status":"RECRUITING","latitude":48.8566137,"longitude":2.3522219}],)"
    R"("start_date":"2020-03","primary_completion_date":"2022-06-30","completion_date":"2023-01-15",)"
    R"("first_posted":"2020-02-14","last_update_posted":"2023-05-02","enrollment":120,)"
    R"("enrollment_type":"ESTIMATED","primary_outcomes":[{"measure":"FEV1","time_frame":"12 weeks",)"
    R"("description":"Lung function"}],"secondary_outcomes":[{"measure":"Exacerbations","time_frame":"1 year"}],)"
    R"("related_nct_ids":["NCT07654321"],"has_results":true,)"
    R"("origin":{"file":"export.zip","entry":"studies.jsonl","line":42,"format":"ctgov-json-v2"}})";

}  // namespace

TEST_CASE("trial_to_json writes every field under its snake_case name", "[json]") {
  CHECK(trial_to_json(full_trial()) == kFullJson);
}

TEST_CASE("trial_from_json reads back every field of a full trial", "[json]") {
  Trial t = trial_from_json(kFullJson);
  CHECK(trial_to_json(t) == kFullJson);
  // Values whose loss the re-serialisation would not show on its own.
  CHECK(t.healthy_volunteers == false);
  CHECK(t.interventions.at(0).other_names_inferred);
  CHECK(t.minimum_age.days == 6570);
  CHECK_FALSE(t.maximum_age.days.has_value());
  CHECK(t.sites.at(0).latitude == 48.8566137);
  CHECK(t.sites.at(0).longitude == 2.3522219);
  CHECK(t.enrollment == 120);
  CHECK(t.origin.line == 42);
  CHECK(t.has_results);
}

TEST_CASE("trial_to_json leaves empty fields out", "[json]") {
  CHECK(trial_to_json(Trial{}) == "{}");
  Trial t = trial_from_json("{}");
  CHECK(t.nct_id.empty());
  CHECK_FALSE(t.healthy_volunteers.has_value());
  CHECK_FALSE(t.enrollment.has_value());
  CHECK_FALSE(t.has_results);
}

TEST_CASE("trial_from_json throws on malformed input", "[json]") {
  CHECK_THROWS_AS(trial_from_json(R"({"nct_id":"NCT0)"), std::runtime_error);
  CHECK_THROWS_AS(trial_from_json("[]"), std::runtime_error);
}

TEST_CASE("record data: zstd-compressed JSON, read back whole; plain JSON refused",
          "[json][record]") {
  std::string data = trialsearch::record_data(kFullJson);
  CHECK(data.starts_with("\x28\xb5\x2f\xfd"));  // a zstd frame
  CHECK(data.size() < std::string_view(kFullJson).size());
  CHECK(trial_to_json(trialsearch::trial_from_record(data)) == kFullJson);
  // no database of the current schema stores the JSON as it is: it reads as damaged
  CHECK_THROWS_AS(trialsearch::trial_from_record(kFullJson), trialsearch::CorruptRecordError);
}

TEST_CASE("a hit reads only the parts of a record it shows", "[json][record]") {
  Trial full = trialsearch::trial_from_record(trialsearch::record_data(kFullJson));
  Trial hit = trialsearch::trial_from_record(trialsearch::record_data(kFullJson),
                                             trialsearch::RecordParts::Hit);
  CHECK(hit.nct_id == full.nct_id);
  CHECK(hit.brief_title == full.brief_title);
  CHECK(hit.official_title == full.official_title);  // shown when there is no brief title
  CHECK(hit.overall_status == full.overall_status);
  CHECK(hit.phases == full.phases);
  CHECK(hit.study_type == full.study_type);
  CHECK(hit.conditions == full.conditions);
  CHECK(hit.interventions.at(0).other_names == full.interventions.at(0).other_names);
  CHECK(hit.lead_sponsor.name == full.lead_sponsor.name);
  CHECK(hit.brief_summary == full.brief_summary);
  CHECK(hit.detailed_description == full.detailed_description);
  CHECK(hit.eligibility_criteria == full.eligibility_criteria);
  CHECK(hit.start_date == full.start_date);
  CHECK(hit.last_update_posted == full.last_update_posted);
  CHECK(hit.enrollment == full.enrollment);
  REQUIRE_FALSE(full.sites.empty());
  CHECK(hit.sites.empty());
  CHECK(hit.primary_outcomes.empty());
  CHECK(hit.acronym.empty());
}

TEST_CASE("corrupt record data throws instead of reading garbage", "[json][record]") {
  std::string data = trialsearch::record_data(kFullJson);
  CHECK_THROWS_AS(trialsearch::trial_from_record(data.substr(0, data.size() / 2)),
                  std::runtime_error);
  std::string flipped = data;
  flipped[flipped.size() / 2] = static_cast<char>(flipped[flipped.size() / 2] ^ 0x5a);
  CHECK_THROWS_AS(trialsearch::trial_from_record(flipped), std::runtime_error);
  CHECK_THROWS_AS(trialsearch::trial_from_record(data.substr(0, 4)), std::runtime_error);
}

TEST_CASE("a trial read from API v2 JSON survives the round trip", "[json]") {
  trialsearch::test::CollectingSink sink;
  trialsearch::Origin origin;
  origin.file = "inline.json";
  trialsearch::read_json(R"({"protocolSection":{
      "identificationModule":{"nctId":"NCT04368728","briefTitle":"BNT162b2 vaccine study"},
      "statusModule":{"overallStatus":"COMPLETED","startDateStruct":{"date":"2020-04-29"}},
      "designModule":{"studyType":"INTERVENTIONAL","phases":["PHASE2","PHASE3"],
                      "enrollmentInfo":{"count":47079,"type":"ACTUAL"}},
      "armsInterventionsModule":{"interventions":[{"type":"BIOLOGICAL","name":"BNT162b2",
                                                   "otherNames":["Comirnaty"]}]},
      "eligibilityModule":{"sex":"ALL","minimumAge":"12 Years","healthyVolunteers":true},
      "contactsLocationsModule":{"locations":[{"city":"Mobile","geoPoint":{"lat":30.69436,"lon":-88.04305}}]}},
    "hasResults":true})",
                         origin, sink);
  REQUIRE(sink.trials.size() == 1);
  const Trial& read = sink.trials[0];
  std::string json = trial_to_json(read);
  Trial back = trial_from_json(json);
  CHECK(trial_to_json(back) == json);
  CHECK(back.nct_id == "NCT04368728");
  CHECK(back.phases == std::vector<std::string>{"PHASE2", "PHASE3"});
  CHECK(back.enrollment == 47079);
  CHECK(back.healthy_volunteers == true);
  CHECK(back.std_ages == read.std_ages);
  CHECK(back.interventions.at(0).other_names == std::vector<std::string>{"Comirnaty"});
  CHECK(back.sites.at(0).longitude == -88.04305);
  CHECK(back.origin.format == "ctgov-json-v2");
  CHECK(back.has_results);
}
