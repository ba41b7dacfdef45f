#include <catch2/catch.hpp>

#include <string>

#include "indexer/format_readers.hpp"
#include "tests/support/test_support.hpp"

using trialsearch::Origin;
using trialsearch::read_json;
using trialsearch::test::CollectingSink;

namespace {

// A small but complete API v2 study: every module the reader maps.
constexpr const char* kStudy = R"({
  "protocolSection": {
    "identificationModule": {
      "nctId": "NCT01234567",
      "orgStudyIdInfo": {"id": "ABC-001"},
      "secondaryIdInfos": [{"id": "2020-001234-56", "type": "EUDRACT_NUMBER"}],
      "briefTitle": "Drug X in Asthma",
      "officialTitle": "A Randomized Study of Drug X in Adults With Asthma",
      "acronym": "DX-A"
    },
    "statusModule": {
      "overallStatus": "ACTIVE_NOT_RECRUITING",
      "expandedAccessInfo": {"hasExpandedAccess": true, "nctId": "NCT07654321"},
      "startDateStruct": {"date": "2020-03"},
      "primaryCompletionDateStruct": {"date": "2022-06-30", "type": "ACTUAL"},
      "completionDateStruct": {"date": "2023-01", "type": "ESTIMATED"},
      "studyFirstPostDateStruct": {"date": "2020-02-14"},
      "lastUpdatePostDateStruct": {"date": "2023-05-02"}
    },
    "sponsorCollaboratorsModule": {
      "leadSponsor": {"name": "Acme Pharma", "class": "INDUSTRY"},
      "collaborators": [{"name": "NIAID", "class": "NIH"}]
    },
    "descriptionModule": {"briefSummary": "Tests X.", "detailedDescription": "Details."},
    "conditionsModule": {"conditions": ["Asthma"], "keywords": ["inhaler", "airway"]},
    "designModule": {
      "studyType": "INTERVENTIONAL",
      "phases": ["PHASE2", "PHASE3"],
      "enrollmentInfo": {"count": 120, "type": "ACTUAL"}
    },
    "armsInterventionsModule": {
      "armGroups": [{"label": "X", "type": "EXPERIMENTAL", "description": "X daily",
                     "interventionNames": ["Drug: Drug X"]}],
      "interventions": [{"type": "DRUG", "name": "Drug X", "description": "10 mg",
                         "otherNames": ["AB-123", "Xanthel"]}]
    },
    "outcomesModule": {
      "primaryOutcomes": [{"measure": "FEV1", "description": "Lung function", "timeFrame": "12 weeks"}],
      "secondaryOutcomes": [{"measure": "Exacerbations", "timeFrame": "1 year"}]
    },
    "eligibilityModule": {
      "eligibilityCriteria": "Inclusion Criteria:\n* asthma",
      "healthyVolunteers": false,
      "sex": "FEMALE",
      "minimumAge": "18 Years",
      "maximumAge": "64 Years",
      "stdAges": ["ADULT"]
    },
    "contactsLocationsModule": {
      "locations": [
        {"facility": "City Hospital", "status": "RECRUITING", "city": "Lyon", "zip": "69003",
         "country": "France", "geoPoint": {"lat": 45.75, "lon": 4.85}},
        {"facility": "Clinic", "city": "Boston", "state": "Massachusetts", "country": "United States"}
      ]
    }
  },
  "derivedSection": {
    "conditionBrowseModule": {
      "meshes": [{"id": "D001249", "term": "Asthma"}],
      "ancestors": [{"id": "D008171", "term": "Lung Diseases"}]
    },
    "interventionBrowseModule": {
      "meshes": [{"id": "C000001", "term": "Drug X"}],
      "ancestors": [{"id": "D018927", "term": "Anti-Asthmatic Agents"}]
    }
  },
  "hasResults": false
})";

// A minimal study with the given id.
std::string study(const std::string& id) {
  return R"({"protocolSection":{"identificationModule":{"nctId":")" + id + R"("}}})";
}

Origin origin_of(const std::string& file) {
  Origin origin;
  origin.file = file;
  return origin;
}

}  // namespace

TEST_CASE("read_json maps every field of a single API v2 study", "[json]") {
  CollectingSink sink;
  read_json(kStudy, origin_of("study.json"), sink);
  REQUIRE(sink.skips.empty());
  REQUIRE(sink.trials.size() == 1);
  const auto& t = sink.trials[0];

  CHECK(t.nct_id == "NCT01234567");
  CHECK(t.org_study_id == "ABC-001");
  CHECK(t.secondary_ids == std::vector<std::string>{"2020-001234-56"});
  CHECK(t.brief_title == "Drug X in Asthma");
  CHECK(t.official_title == "A Randomized Study of Drug X in Adults With Asthma");
  CHECK(t.acronym == "DX-A");

  CHECK(t.overall_status == "ACTIVE_NOT_RECRUITING");
  CHECK(t.start_date == "2020-03");
  CHECK(t.primary_completion_date == "2022-06-30");
  CHECK(t.completion_date == "2023-01");
  CHECK(t.first_posted == "2020-02-14");
  CHECK(t.last_update_posted == "2023-05-02");
  CHECK(t.related_nct_ids == std::vector<std::string>{"NCT07654321"});

  CHECK(t.lead_sponsor.name == "Acme Pharma");
  CHECK(t.lead_sponsor.agency_class == "INDUSTRY");
  REQUIRE(t.collaborators.size() == 1);
  CHECK(t.collaborators[0].name == "NIAID");
  CHECK(t.collaborators[0].agency_class == "NIH");

  CHECK(t.brief_summary == "Tests X.");
  CHECK(t.detailed_description == "Details.");
  CHECK(t.conditions == std::vector<std::string>{"Asthma"});
  CHECK(t.keywords == std::vector<std::string>{"inhaler", "airway"});

  CHECK(t.study_type == "INTERVENTIONAL");
  CHECK(t.phases == std::vector<std::string>{"PHASE2", "PHASE3"});
  CHECK(t.enrollment == 120);
  CHECK(t.enrollment_type == "ACTUAL");

  REQUIRE(t.interventions.size() == 1);
  CHECK(t.interventions[0].type == "DRUG");
  CHECK(t.interventions[0].name == "Drug X");
  CHECK(t.interventions[0].description == "10 mg");
  CHECK(t.interventions[0].other_names == std::vector<std::string>{"AB-123", "Xanthel"});
  CHECK_FALSE(t.interventions[0].other_names_inferred);
  REQUIRE(t.arm_groups.size() == 1);
  CHECK(t.arm_groups[0].label == "X");
  CHECK(t.arm_groups[0].type == "EXPERIMENTAL");
  CHECK(t.arm_groups[0].description == "X daily");
  CHECK(t.arm_groups[0].interventions == std::vector<std::string>{"Drug: Drug X"});

  REQUIRE(t.primary_outcomes.size() == 1);
  CHECK(t.primary_outcomes[0].measure == "FEV1");
  CHECK(t.primary_outcomes[0].time_frame == "12 weeks");
  CHECK(t.primary_outcomes[0].description == "Lung function");
  REQUIRE(t.secondary_outcomes.size() == 1);
  CHECK(t.secondary_outcomes[0].measure == "Exacerbations");

  CHECK(t.eligibility_criteria == "Inclusion Criteria:\n* asthma");
  CHECK(t.healthy_volunteers == false);
  CHECK(t.sex == "FEMALE");
  CHECK(t.minimum_age.text == "18 Years");
  CHECK(t.minimum_age.days == 18 * 365);
  CHECK(t.maximum_age.days == 64 * 365);
  CHECK(t.std_ages == std::vector<std::string>{"ADULT"});

  REQUIRE(t.sites.size() == 2);
  CHECK(t.sites[0].facility == "City Hospital");
  CHECK(t.sites[0].status == "RECRUITING");
  CHECK(t.sites[0].city == "Lyon");
  CHECK(t.sites[0].zip == "69003");
  CHECK(t.sites[0].country == "France");
  CHECK(t.sites[0].latitude == 45.75);
  CHECK(t.sites[0].longitude == 4.85);
  CHECK(t.sites[1].state == "Massachusetts");
  CHECK_FALSE(t.sites[1].latitude.has_value());

  CHECK(t.condition_mesh == std::vector<std::string>{"Asthma"});
  CHECK(t.condition_mesh_ids == std::vector<std::string>{"D001249"});
  CHECK(t.condition_mesh_ancestors == std::vector<std::string>{"Lung Diseases"});
  CHECK(t.intervention_mesh == std::vector<std::string>{"Drug X"});
  CHECK(t.intervention_mesh_ids == std::vector<std::string>{"C000001"});
  CHECK(t.intervention_mesh_ancestors == std::vector<std::string>{"Anti-Asthmatic Agents"});

  CHECK_FALSE(t.has_results);
  CHECK(t.origin.file == "study.json");
  CHECK(t.origin.format == "ctgov-json-v2");
}

TEST_CASE("read_json reads arrays, API pages and NDJSON lines", "[json]") {
  CollectingSink sink;
  SECTION("website export: an array of studies") {
    read_json("[" + study("NCT00000001") + ",\n" + study("NCT00000002") + "]", origin_of("a.json"),
              sink);
    REQUIRE(sink.trials.size() == 2);
    CHECK(sink.trials[1].nct_id == "NCT00000002");
  }
  SECTION("API page with a next-page token") {
    read_json(R"({"studies":[)" + study("NCT00000003") + R"(],"nextPageToken":"abc"})",
              origin_of("page.json"), sink);
    REQUIRE(sink.trials.size() == 1);
    CHECK(sink.trials[0].nct_id == "NCT00000003");
  }
  SECTION("one NDJSON line keeps its line number") {
    Origin origin = origin_of("studies.jsonl");
    origin.line = 7;
    read_json(study("nct00000004"), origin, sink);
    REQUIRE(sink.trials.size() == 1);
    CHECK(sink.trials[0].nct_id == "NCT00000004");
    CHECK(sink.trials[0].origin.line == 7);
  }
  CHECK(sink.skips.empty());
}

TEST_CASE("read_json derives has_results and std ages when not stated", "[json]") {
  CollectingSink sink;
  read_json(R"({"protocolSection":{"identificationModule":{"nctId":"NCT00000005"},
               "eligibilityModule":{"minimumAge":"70 Years"}},
               "resultsSection":{"participantFlowModule":{}}})",
            origin_of("r.json"), sink);
  REQUIRE(sink.trials.size() == 1);
  CHECK(sink.trials[0].has_results);
  CHECK(sink.trials[0].std_ages == std::vector<std::string>{"OLDER_ADULT"});

  read_json(R"({"protocolSection":{"identificationModule":{"nctId":"NCT00000009"}},
               "resultsSection":{},"hasResults":false})",
            origin_of("empty-results.json"), sink);
  REQUIRE(sink.trials.size() == 2);
  CHECK_FALSE(sink.trials[1].has_results);  // an empty resultsSection holds no results
}

TEST_CASE("read_json refuses the classic v1 API format once", "[json]") {
  CollectingSink sink;
  read_json(R"({"FullStudiesResponse":{"APIVrs":"1.01.05","FullStudies":[
               {"Rank":1,"Study":{"ProtocolSection":{"IdentificationModule":{"NCTId":"NCT00023673"}}}}]}})",
            origin_of("v1.json"), sink);
  CHECK(sink.trials.empty());
  REQUIRE(sink.skips.size() == 1);
  CHECK(sink.skips[0] ==
        "v1.json: classic v1 JSON (FullStudiesResponse): not supported; use API v2 JSON");
}

TEST_CASE("read_json skips bad input with a reason and never throws", "[json]") {
  using Catch::Matchers::Contains;
  using Catch::Matchers::StartsWith;
  struct Case {
    std::string json;
    std::string reason;
  };
  auto c = GENERATE(
      Case{R"({"protocolSection":{"identificationModule":{"nctId":"NCT0000)", "malformed JSON: "},
      Case{"", "malformed JSON: "},
      Case{R"({"protocolSection":{"identificationModule":{"briefTitle":"No id"}}})", "no NCT id"},
      Case{R"({"protocolSection":{"identificationModule":{"nctId":42}}})", "no NCT id"},
      Case{R"({"protocolSection":{"identificationModule":{"nctId":"NCT000001"}}})",
           "invalid NCT id \"NCT000001\""},
      Case{R"({"protocolSection":{"conditionsModule":{"conditions":["Asthma"]}}})",
           "not a study: no identificationModule"},
      Case{R"({"resultsSection":{"outcomeMeasuresModule":{}}})", "not a study: no protocolSection"},
      Case{"42", "not a study: a number"}, Case{R"("NCT01234567")", "not a study: a string"});
  CAPTURE(c.json);
  CollectingSink sink;
  REQUIRE_NOTHROW(read_json(c.json, origin_of("bad.json"), sink));
  CHECK(sink.trials.empty());
  REQUIRE(sink.skips.size() == 1);
  CHECK_THAT(sink.skips[0], StartsWith("bad.json: " + c.reason));
}

TEST_CASE("every truncation of a study is skipped as malformed JSON", "[json]") {
  std::string_view whole = kStudy;
  for (std::size_t n = 0; n < whole.size(); ++n) {
    CollectingSink sink;
    read_json(whole.substr(0, n), origin_of("cut.json"), sink);
    CAPTURE(n);
    CHECK(sink.trials.empty());
    REQUIRE(sink.skips.size() == 1);
    CHECK(sink.skips[0].rfind("cut.json: malformed JSON: ", 0) == 0);
  }
}

TEST_CASE("read_json treats fields of the wrong type as absent", "[json]") {
  CollectingSink sink;
  read_json(R"({"protocolSection":{
      "identificationModule":{"nctId":"NCT00000006","briefTitle":17,"secondaryIdInfos":"x"},
      "statusModule":{"overallStatus":["RECRUITING"],"startDateStruct":"2020-01"},
      "designModule":{"phases":"PHASE2","enrollmentInfo":{"count":"120"}},
      "eligibilityModule":{"healthyVolunteers":"No","minimumAge":18,"stdAges":[1,"CHILD"]},
      "armsInterventionsModule":{"interventions":{"name":"X"},"armGroups":[3,{"label":"A"}]},
      "contactsLocationsModule":{"locations":[{"city":"Oslo","geoPoint":{"lat":"59.9","lon":10}}]}},
    "hasResults":"yes"})",
            origin_of("types.json"), sink);
  REQUIRE(sink.skips.empty());
  REQUIRE(sink.trials.size() == 1);
  const auto& t = sink.trials[0];
  CHECK(t.brief_title.empty());
  CHECK(t.secondary_ids.empty());
  CHECK(t.overall_status.empty());
  CHECK(t.start_date.empty());
  CHECK(t.phases.empty());
  CHECK_FALSE(t.enrollment.has_value());
  CHECK_FALSE(t.healthy_volunteers.has_value());
  CHECK(t.minimum_age.text.empty());
  CHECK(t.std_ages == std::vector<std::string>{"CHILD"});
  CHECK(t.interventions.empty());
  REQUIRE(t.arm_groups.size() == 1);  // the number in the list is not an arm group
  CHECK(t.arm_groups[0].label == "A");
  REQUIRE(t.sites.size() == 1);
  CHECK(t.sites[0].city == "Oslo");
  CHECK_FALSE(t.sites[0].latitude.has_value());
  CHECK(t.sites[0].longitude == 10.0);
  CHECK_FALSE(t.has_results);
}

TEST_CASE("read_json reads the rest of an array when one element is bad", "[json]") {
  CollectingSink sink;
  read_json("[" + study("NCT00000007") + R"(,{"protocolSection":{"identificationModule":{}}},7,)" +
                study("NCT00000008") + "]",
            origin_of("export.json"), sink);
  REQUIRE(sink.trials.size() == 2);
  CHECK(sink.trials[0].nct_id == "NCT00000007");
  CHECK(sink.trials[1].nct_id == "NCT00000008");
  CHECK(sink.skips == std::vector<std::string>{"export.json: study #2: no NCT id",
                                               "export.json: study #3: not a study: a number"});
}
