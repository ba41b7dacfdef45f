#include <catch2/catch.hpp>

#include <string>

#include "indexer/format_readers.hpp"
#include "tests/support/test_support.hpp"

using trialsearch::Origin;
using trialsearch::read_xml;
using trialsearch::test::CollectingSink;

namespace {

// A small but complete legacy study: every element the reader maps, indented as the registry
// writes it.
constexpr const char* kStudy = R"(<?xml version="1.0" encoding="UTF-8"?>
<clinical_study rank="3">
  <required_header>
    <url>https://clinicaltrials.gov/show/NCT01234567</url>
  </required_header>
  <id_info>
    <org_study_id>ABC-001</org_study_id>
    <secondary_id>2020-001234-56</secondary_id>
    <secondary_id>R01 CA000001</secondary_id>
    <nct_id>nct01234567</nct_id>
  </id_info>
  <brief_title>Drug X in Asthma</brief_title>
  <acronym>DX-A</acronym>
  <official_title>A Randomized Study of Drug X
    in Adults With Asthma</official_title>
  <sponsors>
    <lead_sponsor>
      <agency>Acme Pharma</agency>
      <agency_class>Industry</agency_class>
    </lead_sponsor>
    <collaborator>
      <agency>Walter Reed Army Institute of Research</agency>
      <agency_class>U.S. Fed</agency_class>
    </collaborator>
    <collaborator>
      <agency>NIAID</agency>
      <agency_class>NIH</agency_class>
    </collaborator>
  </sponsors>
  <brief_summary>
    <textblock>
      Tests X in asthma, over
      two lines.

      Second paragraph.
    </textblock>
  </brief_summary>
  <detailed_description>
    <textblock>
      Details &amp; more.
    </textblock>
  </detailed_description>
  <overall_status>Active, not recruiting</overall_status>
  <start_date type="Actual">March 2020</start_date>
  <completion_date type="Anticipated">January 15, 2023</completion_date>
  <primary_completion_date type="Actual">June 30, 2022</primary_completion_date>
  <phase>Phase 2/Phase 3</phase>
  <study_type>Interventional</study_type>
  <primary_outcome>
    <measure>FEV1</measure>
    <time_frame>12 weeks</time_frame>
    <description>Lung function</description>
  </primary_outcome>
  <secondary_outcome>
    <measure>Exacerbations</measure>
    <time_frame>1 year</time_frame>
  </secondary_outcome>
  <enrollment type="Anticipated">120</enrollment>
  <condition>Asthma</condition>
  <condition>Airway Disease</condition>
  <keyword>inhaler</keyword>
  <keyword>airway</keyword>
  <arm_group>
    <arm_group_label>X</arm_group_label>
    <arm_group_type>Experimental</arm_group_type>
    <description>X daily</description>
  </arm_group>
  <arm_group>
    <arm_group_label>Placebo</arm_group_label>
    <arm_group_type>Placebo Comparator</arm_group_type>
  </arm_group>
  <intervention>
    <intervention_type>Drug</intervention_type>
    <intervention_name>Drug X</intervention_name>
    <description>10 mg</description>
    <arm_group_label>X</arm_group_label>
    <other_name>AB-123</other_name>
    <other_name>Xanthel</other_name>
  </intervention>
  <intervention>
    <intervention_type>Dietary Supplement</intervention_type>
    <intervention_name>Vitamin D</intervention_name>
    <arm_group_label>X</arm_group_label>
    <arm_group_label>Placebo</arm_group_label>
  </intervention>
  <eligibility>
    <criteria>
      <textblock>
        Inclusion Criteria:

          -  asthma for at least one year, diagnosed by
             a physician

        Exclusion Criteria:

          -  smokers
      </textblock>
    </criteria>
    <gender>Female</gender>
    <minimum_age>18 Years</minimum_age>
    <maximum_age>64 Years</maximum_age>
    <healthy_volunteers>No</healthy_volunteers>
  </eligibility>
  <location>
    <facility>
      <name>City Hospital</name>
      <address>
        <city>Lyon</city>
        <zip>69003</zip>
        <country>France</country>
      </address>
    </facility>
    <status>Not yet recruiting</status>
  </location>
  <location>
    <facility>
      <name>Clinic</name>
      <address>
        <city>Boston</city>
        <state>Massachusetts</state>
        <country>United States</country>
      </address>
    </facility>
  </location>
  <study_first_posted type="Estimate">February 14, 2020</study_first_posted>
  <last_update_posted type="Actual">May 2, 2023</last_update_posted>
  <condition_browse>
    <mesh_term>Asthma</mesh_term>
  </condition_browse>
  <intervention_browse>
    <mesh_term>Vitamin D</mesh_term>
    <mesh_term>Ergocalciferols</mesh_term>
  </intervention_browse>
  <clinical_results>
    <participant_flow/>
  </clinical_results>
</clinical_study>
)";

Origin origin() { return {"study.xml", "", 0, ""}; }

CollectingSink read(std::string_view xml) {
  CollectingSink sink;
  read_xml(xml, origin(), sink);
  return sink;
}

// A study with nothing but `body` inside <clinical_study> and an NCT id.
std::string study_with(const std::string& body) {
  return "<clinical_study><id_info><nct_id>NCT00000001</nct_id></id_info>" + body +
         "</clinical_study>";
}

trialsearch::Trial read_one(const std::string& xml) {
  auto sink = read(xml);
  REQUIRE(sink.skips.empty());
  REQUIRE(sink.trials.size() == 1);
  return sink.trials.front();
}

// The single skip reason an input produced.
std::string refusal(std::string_view xml) {
  auto sink = read(xml);
  REQUIRE(sink.trials.empty());
  REQUIRE(sink.skips.size() == 1);
  return sink.skips.front();
}

}  // namespace

TEST_CASE("a complete legacy XML study maps onto every Trial field", "[xml]") {
  auto t = read_one(kStudy);

  CHECK(t.nct_id == "NCT01234567");
  CHECK(t.org_study_id == "ABC-001");
  CHECK(t.secondary_ids == std::vector<std::string>{"2020-001234-56", "R01 CA000001"});
  CHECK(t.brief_title == "Drug X in Asthma");
  CHECK(t.official_title == "A Randomized Study of Drug X in Adults With Asthma");
  CHECK(t.acronym == "DX-A");

  CHECK(t.overall_status == "ACTIVE_NOT_RECRUITING");
  CHECK(t.phases == std::vector<std::string>{"PHASE2", "PHASE3"});
  CHECK(t.study_type == "INTERVENTIONAL");
  CHECK(t.start_date == "2020-03");
  CHECK(t.primary_completion_date == "2022-06-30");
  CHECK(t.completion_date == "2023-01-15");
  CHECK(t.first_posted == "2020-02-14");
  CHECK(t.last_update_posted == "2023-05-02");
  CHECK(t.enrollment == 120);
  CHECK(t.enrollment_type == "ESTIMATED");

  CHECK(t.lead_sponsor.name == "Acme Pharma");
  CHECK(t.lead_sponsor.agency_class == "INDUSTRY");
  REQUIRE(t.collaborators.size() == 2);
  CHECK(t.collaborators[0].name == "Walter Reed Army Institute of Research");
  CHECK(t.collaborators[0].agency_class == "FED");
  CHECK(t.collaborators[1].agency_class == "NIH");

  CHECK(t.brief_summary == "Tests X in asthma, over\ntwo lines.\n\nSecond paragraph.");
  CHECK(t.detailed_description == "Details & more.");
  CHECK(t.eligibility_criteria ==
        "Inclusion Criteria:\n\n"
        "  -  asthma for at least one year, diagnosed by\n"
        "     a physician\n\n"
        "Exclusion Criteria:\n\n"
        "  -  smokers");

  CHECK(t.conditions == std::vector<std::string>{"Asthma", "Airway Disease"});
  CHECK(t.keywords == std::vector<std::string>{"inhaler", "airway"});
  CHECK(t.condition_mesh == std::vector<std::string>{"Asthma"});
  CHECK(t.intervention_mesh == std::vector<std::string>{"Vitamin D", "Ergocalciferols"});
  CHECK(t.condition_mesh_ancestors.empty());  // legacy XML has no MeSH tree
  CHECK(t.condition_mesh_ids.empty());

  REQUIRE(t.interventions.size() == 2);
  CHECK(t.interventions[0].type == "DRUG");
  CHECK(t.interventions[0].name == "Drug X");
  CHECK(t.interventions[0].description == "10 mg");
  CHECK(t.interventions[0].other_names == std::vector<std::string>{"AB-123", "Xanthel"});
  CHECK_FALSE(t.interventions[0].other_names_inferred);
  CHECK(t.interventions[1].type == "DIETARY_SUPPLEMENT");
  CHECK(t.interventions[1].other_names.empty());

  REQUIRE(t.arm_groups.size() == 2);
  CHECK(t.arm_groups[0].label == "X");
  CHECK(t.arm_groups[0].type == "EXPERIMENTAL");
  CHECK(t.arm_groups[0].description == "X daily");
  CHECK(t.arm_groups[0].interventions ==
        std::vector<std::string>{"Drug: Drug X", "Dietary Supplement: Vitamin D"});
  CHECK(t.arm_groups[1].type == "PLACEBO_COMPARATOR");
  CHECK(t.arm_groups[1].interventions == std::vector<std::string>{"Dietary Supplement: Vitamin D"});

  REQUIRE(t.primary_outcomes.size() == 1);
  CHECK(t.primary_outcomes[0].measure == "FEV1");
  CHECK(t.primary_outcomes[0].time_frame == "12 weeks");
  CHECK(t.primary_outcomes[0].description == "Lung function");
  REQUIRE(t.secondary_outcomes.size() == 1);
  CHECK(t.secondary_outcomes[0].measure == "Exacerbations");
  CHECK(t.secondary_outcomes[0].description.empty());

  CHECK(t.sex == "FEMALE");
  CHECK(t.minimum_age.text == "18 Years");
  CHECK(t.minimum_age.days == 18 * 365);
  CHECK(t.maximum_age.days == 64 * 365);
  CHECK(t.healthy_volunteers == false);
  CHECK(t.std_ages == std::vector<std::string>{"ADULT"});

  REQUIRE(t.sites.size() == 2);
  CHECK(t.sites[0].facility == "City Hospital");
  CHECK(t.sites[0].city == "Lyon");
  CHECK(t.sites[0].zip == "69003");
  CHECK(t.sites[0].country == "France");
  CHECK(t.sites[0].status == "NOT_YET_RECRUITING");
  CHECK_FALSE(t.sites[0].latitude);
  CHECK(t.sites[1].state == "Massachusetts");
  CHECK(t.sites[1].status.empty());

  CHECK(t.related_nct_ids.empty());
  CHECK(t.has_results);
  CHECK(t.origin.file == "study.xml");
  CHECK(t.origin.format == "ctgov-xml");
}

TEST_CASE("legacy XML value spellings become API v2 enums", "[xml]") {
  struct Row {
    std::string body;
    std::string field;
    std::string expected;
  };
  auto field = [](const trialsearch::Trial& t, const std::string& name) -> std::string {
    if (name == "status") return t.overall_status;
    if (name == "type") return t.study_type;
    if (name == "sex") return t.sex;
    if (name == "phases") {
      std::string s;
      for (const auto& p : t.phases) s += (s.empty() ? "" : ",") + p;
      return s;
    }
    if (name == "class") return t.lead_sponsor.agency_class;
    if (name == "enrollment_type") return t.enrollment_type;
    if (name == "first_posted") return t.first_posted;
    if (name == "last_update_posted") return t.last_update_posted;
    return "?";
  };
  auto lead_class = [](const std::string& cls) {
    return "<sponsors><lead_sponsor><agency>A</agency><agency_class>" + cls +
           "</agency_class></lead_sponsor></sponsors>";
  };
  const std::vector<Row> rows{
      {"<overall_status>Unknown status</overall_status>", "status", "UNKNOWN"},
      {"<overall_status>Enrolling by invitation</overall_status>", "status",
       "ENROLLING_BY_INVITATION"},
      {"<overall_status>No longer available</overall_status>", "status", "NO_LONGER_AVAILABLE"},
      {"<study_type>Observational [Patient Registry]</study_type>", "type", "OBSERVATIONAL"},
      {"<study_type>Expanded Access</study_type>", "type", "EXPANDED_ACCESS"},
      {"<study_type>N/A</study_type>", "type", ""},
      {"<eligibility><gender>Both</gender></eligibility>", "sex", "ALL"},
      {"<eligibility><gender>All</gender></eligibility>", "sex", "ALL"},
      {"<phase>Phase 1/Phase 2</phase>", "phases", "PHASE1,PHASE2"},
      {"<phase>Early Phase 1</phase>", "phases", "EARLY_PHASE1"},
      {"<phase>N/A</phase>", "phases", "NA"},
      {lead_class("Other"), "class", "OTHER"},
      {lead_class("U.S. Fed"), "class", "FED"},
      {"<enrollment type=\"Actual\">5</enrollment>", "enrollment_type", "ACTUAL"},
      {"<enrollment type=\"Estimated\">5</enrollment>", "enrollment_type", "ESTIMATED"},
      {"<enrollment>5</enrollment>", "enrollment_type", ""},
      // files from before 2017 name the posting dates differently
      {"<firstreceived_date>November 1, 1999</firstreceived_date>", "first_posted", "1999-11-01"},
      {"<lastchanged_date>July 9, 2013</lastchanged_date>", "last_update_posted", "2013-07-09"},
      {"<study_first_posted>April 2004</study_first_posted>"
       "<firstreceived_date>March 1, 2004</firstreceived_date>",
       "first_posted", "2004-04"},
  };
  for (const auto& row : rows) {
    INFO(row.body);
    CHECK(field(read_one(study_with(row.body)), row.field) == row.expected);
  }
}

TEST_CASE("odd values in legacy XML are read as absent, not guessed", "[xml]") {
  auto t = read_one(
      study_with("<enrollment type=\"Actual\">about 40</enrollment>"
                 "<start_date>sometime soon</start_date>"
                 "<eligibility><minimum_age>N/A</minimum_age><maximum_age>6 Months</maximum_age>"
                 "<healthy_volunteers>maybe</healthy_volunteers><criteria><textblock/></criteria>"
                 "</eligibility>"
                 "<intervention><intervention_name>Surgery</intervention_name>"
                 "<arm_group_label>Nowhere</arm_group_label></intervention>"
                 "<condition>  </condition><condition><![CDATA[Lung  Cancer]]></condition>"));
  CHECK_FALSE(t.enrollment);
  CHECK(t.start_date.empty());
  CHECK(t.minimum_age.text == "N/A");
  CHECK_FALSE(t.minimum_age.days);
  CHECK(t.maximum_age.days == 180);
  CHECK(t.std_ages == std::vector<std::string>{"CHILD"});
  CHECK_FALSE(t.healthy_volunteers);
  CHECK(t.eligibility_criteria.empty());
  REQUIRE(t.interventions.size() == 1);
  CHECK(t.interventions[0].type.empty());
  CHECK(t.arm_groups.empty());
  CHECK(t.conditions == std::vector<std::string>{"Lung Cancer"});
  CHECK_FALSE(t.has_results);
  CHECK(t.sex.empty());
}

TEST_CASE("a textblock starting on the tag's line keeps its first line", "[xml]") {
  auto t =
      read_one(study_with("<brief_summary><textblock>First line.\n      Second line.\n\n\n\n      "
                          "Third.   \n    </textblock></brief_summary>"));
  CHECK(t.brief_summary == "First line.\nSecond line.\n\nThird.");
}

TEST_CASE("CRLF line ends, raw or written as &#xD;, read like LF", "[xml]") {
  const std::string raw =
      "<brief_summary>\r\n  <textblock>\r\n    One\r\n    two.\r\n  </textblock>\r\n"
      "</brief_summary>";
  CHECK(read_one(study_with(raw)).brief_summary == "One\ntwo.");
  // AllPublicXML writes the CR of each line end as a character reference
  const std::string encoded =
      "<brief_summary><textblock>\n    One&#xD;\n    two.&#xD;\n&#xD;\n    Three&#xD;\n"
      "  </textblock></brief_summary>";
  CHECK(read_one(study_with(encoded)).brief_summary == "One\ntwo.\n\nThree");
}

TEST_CASE("XML that is not a study is refused once, saying what it is", "[xml]") {
  CHECK(
      refusal(
          R"(<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>)") ==
      "study.xml: RSS feed: not a clinical_study record");
  CHECK(refusal("<search_results count=\"0\"><query>x</query></search_results>") ==
        "study.xml: search results: not a clinical_study record");
  // HTML is rarely well-formed XML: it is still named as a page, not as broken XML
  CHECK(refusal("<!DOCTYPE html>\n<!-- saved -->\n<html lang=\"en\"><head><meta "
                "charset=\"utf-8\"><title>x</title></head></html>") ==
        "study.xml: HTML page: not a clinical_study record");
  CHECK(refusal("<!doctype html><HTML><body><p>Not found</body></HTML>") ==
        "study.xml: HTML page: not a clinical_study record");
  CHECK(refusal("<clinical_studies><clinical_study/></clinical_studies>") ==
        "study.xml: XML document <clinical_studies>: not a clinical_study record");
}

TEST_CASE("malformed or truncated XML is skipped with the parser's reason and position", "[xml]") {
  std::string full = kStudy;
  std::string truncated = full.substr(0, full.find("<eligibility>") + 20);
  auto reason = refusal(truncated);
  CHECK(reason.starts_with("study.xml: malformed XML: "));
  CHECK(reason.find(" at byte ") != std::string::npos);

  CHECK(refusal("<clinical_study><id_info></clinical_study>") ==
        "study.xml: malformed XML: Start-end tags mismatch at byte 27");
  CHECK(refusal("").starts_with("study.xml: malformed XML: No document element found"));
  CHECK(refusal("<").starts_with("study.xml: malformed XML: "));
  CHECK(refusal(std::string("<clinical_study>\0</clinical_study>", 34))
            .starts_with("study.xml: malformed XML: "));
}

TEST_CASE("a study without a usable NCT id is skipped", "[xml]") {
  CHECK(refusal("<clinical_study><id_info><org_study_id>A</org_study_id></id_info>"
                "<brief_title>T</brief_title></clinical_study>") == "study.xml: no NCT id");
  CHECK(refusal("<clinical_study><id_info><nct_id>NCT123</nct_id></id_info></clinical_study>") ==
        "study.xml: invalid NCT id \"NCT123\"");
}

TEST_CASE("the XML reader survives every prefix of a study", "[xml]") {
  std::string full = kStudy;
  for (std::size_t n = 0; n < full.size(); n += 7) {
    CollectingSink sink;
    read_xml(std::string_view(full).substr(0, n), origin(), sink);
    CHECK(sink.trials.size() + sink.skips.size() == 1);
  }
}
