// The legacy XML reader over the real records in ../shared/data/ctgov-xml (see SOURCES.md there).
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "indexer/source_reader.hpp"
#include "tests/support/test_support.hpp"

namespace fs = std::filesystem;
using trialsearch::read_sources;
using trialsearch::Trial;
using trialsearch::test::CollectingSink;
using trialsearch::test::shared_data_dir;

namespace {

fs::path xml_dir() { return shared_data_dir() / "ctgov-xml"; }

CollectingSink read(const std::vector<std::string>& sources) {
  CollectingSink sink;
  read_sources(sources, sink);
  return sink;
}

// The one trial read from a single-record file.
Trial read_one(const fs::path& file) {
  auto sink = read({file.string()});
  INFO(file);
  REQUIRE(sink.skips.empty());
  REQUIRE(sink.trials.size() == 1);
  return std::move(sink.trials.front());
}

const Trial& find(const std::vector<Trial>& trials, const std::string& nct_id) {
  auto it = std::find_if(trials.begin(), trials.end(),
                         [&](const Trial& t) { return t.nct_id == nct_id; });
  REQUIRE(it != trials.end());
  return *it;
}

// The AllPublicXML subset, read once for every test that looks at it.
const CollectingSink& subset() {
  static const CollectingSink sink =
      read({(xml_dir() / "AllPublicXML-subset-2023-02-03.zip").string()});
  return sink;
}

std::vector<std::string> intervention_names(const Trial& t) {
  std::vector<std::string> names;
  for (const auto& i : t.interventions) names.push_back(i.name);
  return names;
}

}  // namespace

TEST_CASE("every record of the AllPublicXML subset reads without a skip", "[xml]") {
  const auto& sink = subset();
  CHECK(sink.skips.empty());
  for (std::size_t i = 0; i < std::min<std::size_t>(sink.skips.size(), 5); ++i)
    UNSCOPED_INFO(sink.skips[i]);
  REQUIRE(sink.trials.size() == 6786);

  std::set<std::string> ids;
  std::size_t with_results = 0, with_title = 0, with_status = 0, with_type = 0, with_sponsor = 0;
  for (const auto& t : sink.trials) {
    ids.insert(t.nct_id);
    with_results += t.has_results;
    with_title += !t.brief_title.empty();
    with_status += !t.overall_status.empty();
    with_type += !t.study_type.empty();
    with_sponsor += !t.lead_sponsor.name.empty();
    // the archive keeps the AllPublicXML layout: NCT0000xxxx/NCT00000102.xml
    CHECK(t.origin.entry.ends_with(t.nct_id + ".xml"));
    CHECK(t.origin.format == "ctgov-xml");
  }
  CHECK(ids.size() == 6786);
  CHECK(with_results == 440);  // as SOURCES.md states
  CHECK(with_title == 6786);
  CHECK(with_status == 6786);
  CHECK(with_type == 6786);
  CHECK(with_sponsor == 6786);
}

TEST_CASE("an AllPublicXML record without results, field by field", "[xml]") {
  const Trial& t = find(subset().trials, "NCT00000102");
  CHECK(t.brief_title == "Congenital Adrenal Hyperplasia: Calcium Channels as Therapeutic Targets");
  CHECK(t.official_title.empty());
  CHECK(t.org_study_id == "NCRR-M01RR01070-0506");
  CHECK(t.secondary_ids == std::vector<std::string>{"M01RR001070"});
  CHECK(t.lead_sponsor.name == "National Center for Research Resources (NCRR)");
  CHECK(t.lead_sponsor.agency_class == "NIH");
  CHECK(t.overall_status == "COMPLETED");
  CHECK(t.phases == std::vector<std::string>{"PHASE1", "PHASE2"});
  CHECK(t.study_type == "INTERVENTIONAL");
  CHECK(t.conditions == std::vector<std::string>{"Congenital Adrenal Hyperplasia"});
  REQUIRE(t.interventions.size() == 1);
  CHECK(t.interventions[0].type == "DRUG");
  CHECK(t.interventions[0].name == "Nifedipine");
  CHECK(t.intervention_mesh == std::vector<std::string>{"Nifedipine"});
  CHECK(t.condition_mesh.size() == 4);
  CHECK(t.minimum_age.days == 14 * 365);
  CHECK(t.maximum_age.days == 35 * 365);
  CHECK(t.std_ages == std::vector<std::string>{"CHILD", "ADULT"});
  CHECK(t.sex == "ALL");
  CHECK(t.healthy_volunteers == false);
  // the &#xD; before every line end is gone, the fixed indentation too
  CHECK(t.brief_summary.starts_with(
      "This study will test the ability of extended release nifedipine (Procardia XL), a blood\n"
      "pressure medication,"));
  CHECK(
      t.eligibility_criteria.starts_with("Inclusion Criteria:\n\n  -  diagnosed with Congenital "
                                         "Adrenal Hyperplasia (CAH)\n\n  -  normal ECG"));
  CHECK(t.brief_summary.find('\r') == std::string::npos);
  CHECK(t.first_posted == "1999-11-04");
  CHECK(t.last_update_posted == "2005-06-24");
  CHECK(t.start_date.empty());
  CHECK_FALSE(t.enrollment);
  REQUIRE(t.sites.size() == 1);
  CHECK(t.sites[0].facility == "Medical University of South Carolina");
  CHECK(t.sites[0].city == "Charleston");
  CHECK(t.sites[0].state == "South Carolina");
  CHECK_FALSE(t.has_results);
}

TEST_CASE("an AllPublicXML record with results: the results' outcomes are not protocol outcomes",
          "[xml]") {
  const Trial& t = find(subset().trials, "NCT00461812");
  CHECK(t.has_results);
  CHECK(t.overall_status == "TERMINATED");
  CHECK(t.phases == std::vector<std::string>{"PHASE4"});
  CHECK(t.start_date == "2007-04");
  CHECK(t.completion_date == "2010-01-19");
  CHECK(t.enrollment == 33);
  CHECK(t.enrollment_type == "ACTUAL");
  REQUIRE(t.collaborators.size() == 1);
  CHECK(t.collaborators[0].name == "Schering-Plough");
  CHECK(t.collaborators[0].agency_class == "INDUSTRY");
  REQUIRE(t.primary_outcomes.size() == 1);
  CHECK(t.primary_outcomes[0].measure == "Efficacy as Assessed my Pulmonary Function Tests");
  CHECK(t.primary_outcomes[0].time_frame == "change from baseline to study completion");
  CHECK(t.secondary_outcomes.empty());
  REQUIRE(t.arm_groups.size() == 2);
  CHECK(t.arm_groups[1].interventions == std::vector<std::string>{"Drug: Advair"});
  CHECK(t.eligibility_criteria.find("a >2 year history of asthma") != std::string::npos);
  CHECK(t.sites.size() == 1);
}

TEST_CASE("every legacy XML fixture reads, its id taken from the content", "[xml]") {
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(xml_dir() / "fixtures"))
    if (entry.is_regular_file() && entry.path().extension() == ".xml")
      files.push_back(entry.path().string());
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() == 71);

  auto sink = read(files);
  CHECK(sink.skips.empty());
  REQUIRE(sink.trials.size() == 71);

  // NCT00980226.xml and NCT00980226-id-mismatch.xml are both NCT00081588 (NCT00980226 is its
  // alias); the _mod / _modified / _redownloaded variants repeat their study's id.
  std::multiset<std::string> ids;
  for (const auto& t : sink.trials) ids.insert(t.nct_id);
  CHECK(ids.count("NCT00980226") == 0);
  CHECK(ids.count("NCT00081588") == 3);
  CHECK(ids.count("NCT00513591") == 3);
  CHECK(ids.count("NCT02028676") == 2);

  const Trial& mismatch = *std::find_if(sink.trials.begin(), sink.trials.end(), [](const Trial& t) {
    return t.origin.file.ends_with("NCT00980226-id-mismatch.xml");
  });
  CHECK(mismatch.nct_id == "NCT00081588");
}

TEST_CASE("fixtures: a 1981 study, a pre-2017 file, a registry-withheld record", "[xml]") {
  auto pms = read_one(xml_dir() / "fixtures" / "NCT00001177.xml");
  CHECK(pms.brief_title == "Study of Premenstrual Syndrome and Premenstrual Dysphoria");
  CHECK(pms.lead_sponsor.name == "National Institute of Mental Health (NIMH)");
  CHECK(pms.overall_status == "RECRUITING");
  CHECK(pms.start_date == "1981-08-24");
  CHECK(pms.study_type == "OBSERVATIONAL");
  CHECK(pms.enrollment == 1600);
  CHECK(pms.enrollment_type == "ESTIMATED");
  CHECK(pms.conditions.size() == 4);
  CHECK(pms.sex == "FEMALE");
  CHECK(pms.healthy_volunteers == true);
  CHECK(
      pms.eligibility_criteria.starts_with("-  INCLUSION CRITERIA:\n\nThe subjects of this study"));
  REQUIRE_FALSE(pms.sites.empty());
  CHECK(pms.sites[0].city == "Bethesda");
  CHECK(pms.sites[0].zip == "20892");
  CHECK(pms.sites[0].status == "RECRUITING");

  // files written before 2017 name the posting dates firstreceived_date and lastchanged_date
  auto old = read_one(xml_dir() / "fixtures" / "NCT00513591_mod.xml");
  CHECK(old.nct_id == "NCT00513591");
  CHECK(old.first_posted == "2007-08-06");
  CHECK(old.last_update_posted == "2016-06-15");

  auto withheld = read_one(xml_dir() / "fixtures" / "NCT03182660.xml");
  CHECK(withheld.overall_status == "WITHHELD");
  CHECK(withheld.study_type.empty());  // "N/A" in the file
  CHECK(withheld.lead_sponsor.name == "[Redacted]");
  CHECK(withheld.lead_sponsor.agency_class.empty());
  CHECK(withheld.first_posted == "2017-06-09");
}

TEST_CASE("files in fixtures/_non_study are refused by name, the zip of two studies read",
          "[xml]") {
  fs::path dir = xml_dir() / "fixtures" / "_non_study";
  auto refusal = [](const fs::path& file) {
    auto sink = read({file.string()});
    REQUIRE(sink.trials.empty());
    REQUIRE(sink.skips.size() == 1);
    return sink.skips.front();
  };
  CHECK(refusal(dir / "Invalid-nct-id.html") ==
        (dir / "Invalid-nct-id.html").string() + ": HTML page: not a clinical_study record");
  CHECK(refusal(dir / "covid_search.xml") ==
        (dir / "covid_search.xml").string() + ": RSS feed: not a clinical_study record");
  CHECK(refusal(dir / "empty_search.xml") ==
        (dir / "empty_search.xml").string() + ": RSS feed: not a clinical_study record");

  auto zip = read({(dir / "download_xml_files.zip").string()});
  CHECK(zip.skips.empty());
  REQUIRE(zip.trials.size() == 2);
  CHECK(zip.trials[0].nct_id == "NCT00513591");
  CHECK(zip.trials[0].origin.entry == "NCT00513591.xml");
  CHECK(zip.trials[1].nct_id == "NCT00482794");
  CHECK(zip.trials[1].origin.entry == "NCT00482794.xml");

  // the folder as a whole: three refusals and two trials, nothing else
  auto all = read({dir.string()});
  CHECK(all.skips.size() == 3);
  CHECK(all.trials.size() == 2);
}

TEST_CASE("NCT02513394 reads alike from legacy XML and API v2 JSON", "[xml][json]") {
  Trial xml = read_one(xml_dir() / "fixtures" / "NCT02513394.xml");
  Trial json = read_one(shared_data_dir() / "ctgov-json-v2" / "fixtures" / "NCT02513394.json");

  CHECK(xml.origin.format == "ctgov-xml");
  CHECK(json.origin.format == "ctgov-json-v2");
  CHECK(xml.nct_id == json.nct_id);
  CHECK(xml.org_study_id == json.org_study_id);
  CHECK(xml.secondary_ids == json.secondary_ids);
  CHECK(xml.brief_title == json.brief_title);
  CHECK(xml.official_title == json.official_title);
  CHECK(xml.acronym == json.acronym);
  CHECK(xml.overall_status == json.overall_status);
  CHECK(xml.phases == json.phases);
  CHECK(xml.study_type == json.study_type);
  CHECK(xml.conditions == json.conditions);
  CHECK(xml.keywords == json.keywords);
  CHECK(intervention_names(xml) == intervention_names(json));
  REQUIRE(xml.interventions.size() == json.interventions.size());
  for (std::size_t i = 0; i < xml.interventions.size(); ++i)
    CHECK(xml.interventions[i].type == json.interventions[i].type);
  REQUIRE(xml.arm_groups.size() == json.arm_groups.size());
  for (std::size_t i = 0; i < xml.arm_groups.size(); ++i) {
    CHECK(xml.arm_groups[i].label == json.arm_groups[i].label);
    CHECK(xml.arm_groups[i].type == json.arm_groups[i].type);
    CHECK(xml.arm_groups[i].interventions == json.arm_groups[i].interventions);
  }
  CHECK(xml.lead_sponsor.name == json.lead_sponsor.name);
  CHECK(xml.lead_sponsor.agency_class == json.lead_sponsor.agency_class);
  CHECK(xml.sex == json.sex);
  CHECK(xml.minimum_age.text == json.minimum_age.text);
  CHECK(xml.minimum_age.days == 18 * 365);
  CHECK(xml.minimum_age.days == json.minimum_age.days);
  CHECK_FALSE(xml.maximum_age.days);
  CHECK(xml.std_ages == json.std_ages);
  CHECK(xml.healthy_volunteers == false);
  CHECK(xml.healthy_volunteers == json.healthy_volunteers);
  CHECK(xml.enrollment == 5796);
  CHECK(xml.enrollment == json.enrollment);
  CHECK(xml.enrollment_type == json.enrollment_type);
  CHECK(xml.start_date == json.start_date);
  CHECK(xml.first_posted == json.first_posted);

  // The two files are different versions of the record: the XML was processed on 2020-08-18,
  // before results were posted (2022-04-13); the JSON is the 2023 version, with results.
  CHECK_FALSE(xml.has_results);
  CHECK(json.has_results);
  CHECK(xml.primary_completion_date == "2020-09");   // then anticipated
  CHECK(json.primary_completion_date == "2020-11");  // now actual
  CHECK(xml.last_update_posted < json.last_update_posted);
  // The legacy format had no NETWORK sponsor class: those collaborators read as OTHER there.
  REQUIRE(xml.collaborators.size() == json.collaborators.size());
  for (std::size_t i = 0; i < xml.collaborators.size(); ++i) {
    CHECK(xml.collaborators[i].name == json.collaborators[i].name);
    if (json.collaborators[i].agency_class != "NETWORK")
      CHECK(xml.collaborators[i].agency_class == json.collaborators[i].agency_class);
  }
}
