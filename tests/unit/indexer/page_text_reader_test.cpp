// Golden expectations for the page-text reader on the five saved seed pages, small invented
// pages of each layout (to show it reads by headings and value shapes, not by page), refusals
// and junk; and the whole corpus through read_sources.

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "indexer/format_readers.hpp"
#include "indexer/source_reader.hpp"
#include "tests/support/test_support.hpp"

namespace fs = std::filesystem;
using trialsearch::Intervention;
using trialsearch::Origin;
using trialsearch::Trial;
using trialsearch::test::CollectingSink;

namespace {

CollectingSink read_text(const std::string& text) {
  CollectingSink sink;
  Origin origin;
  origin.file = "page.txt";
  trialsearch::read_page_text(text, origin, sink);
  return sink;
}

Trial read_one(const std::string& text) {
  CollectingSink sink = read_text(text);
  REQUIRE(sink.skips.empty());
  REQUIRE(sink.trials.size() == 1);
  return std::move(sink.trials.front());
}

Trial read_seed(const std::string& nct_id) {
  fs::path path = trialsearch::test::corpus_dir() / "seeds" / (nct_id + ".txt");
  CollectingSink sink;
  Origin origin;
  origin.file = path.string();
  trialsearch::read_page_text(trialsearch::test::read_file(path), origin, sink);
  REQUIRE(sink.skips.empty());
  REQUIRE(sink.trials.size() == 1);
  return std::move(sink.trials.front());
}

const Intervention* intervention(const Trial& t, const std::string& name) {
  for (const auto& iv : t.interventions)
    if (iv.name == name) return &iv;
  return nullptr;
}

using Strings = std::vector<std::string>;

}  // namespace

TEST_CASE("labelled-fields page: NCT05869955", "[page]") {
  Trial t = read_seed("NCT05869955");
  CHECK(t.nct_id == "NCT05869955");
  CHECK(t.origin.format == "page-text");
  CHECK(t.brief_title.starts_with("A Study of CC-97540, CD-19-Targeted Nex-T CAR T Cells"));
  CHECK(t.overall_status == "RECRUITING");
  CHECK(t.phases == Strings{"PHASE1"});
  CHECK(t.study_type == "INTERVENTIONAL");
  CHECK(t.enrollment == 270);
  CHECK(t.start_date == "2023-09-13");
  CHECK(t.completion_date == "2028-08-29");
  CHECK(t.last_update_posted == "2026-01-13");
  // One line on the page, split against the page's own eligibility text.
  CHECK(t.conditions == Strings{"Systemic Lupus Erythematosus", "Idiopathic Inflammatory Myopathy",
                                "Systemic Sclerosis", "Rheumatoid Arthritis"});
  CHECK(t.brief_summary.starts_with("The purpose of this study is to establish"));
  CHECK(t.detailed_description.empty());

  REQUIRE(t.interventions.size() == 4);
  const Intervention* product = intervention(t, "CC-97540");
  REQUIRE(product);
  CHECK(product->type == "DRUG");
  CHECK(product->description == "Specified dose on specified days");
  CHECK(product->other_names == Strings{"BMS-986353"});
  CHECK(product->other_names_inferred);
  for (const char* other : {"Fludarabine", "Cyclophosphamide", "Tocilizumab"}) {
    const Intervention* iv = intervention(t, other);
    REQUIRE(iv);
    CHECK(iv->type == "DRUG");
    CHECK(iv->other_names.empty());
    CHECK_FALSE(iv->other_names_inferred);
  }
  REQUIRE(t.arm_groups.size() == 1);
  CHECK(t.arm_groups[0].label == "Administration of CC-97540");
  CHECK(t.arm_groups[0].type == "EXPERIMENTAL");
  CHECK(t.arm_groups[0].interventions ==
        Strings{"CC-97540", "Fludarabine", "Cyclophosphamide", "Tocilizumab"});

  CHECK(t.eligibility_criteria.starts_with("Inclusion Criteria\n* Diagnosis of Systemic Lupus"));
  CHECK(t.eligibility_criteria.find("anti-dsDNA") != std::string::npos);
  CHECK(t.eligibility_criteria.find("Exclusion Criteria") != std::string::npos);
  CHECK(t.eligibility_criteria.find("Minimum Eligible Age") == std::string::npos);
  CHECK(t.minimum_age.text == "18 Years");
  CHECK(t.minimum_age.days == 18 * 365);
  CHECK(t.maximum_age.text.empty());
  CHECK(t.std_ages == Strings{"ADULT", "OLDER_ADULT"});
  CHECK(t.sex == "ALL");
  CHECK(t.healthy_volunteers == false);

  CHECK(t.lead_sponsor.name == "Juno Therapeutics, Inc., a Bristol-Myers Squibb Company");
  CHECK(t.lead_sponsor.agency_class == "INDUSTRY");
  REQUIRE(t.collaborators.size() == 1);
  CHECK(t.collaborators[0].name == "Bristol-Myers Squibb Services Unlimited Company");
  CHECK(t.collaborators[0].agency_class == "UNKNOWN");

  REQUIRE(t.sites.size() == 54);
  CHECK(t.sites[0].facility == "University of Colorado Anschutz Medical Campus");
  CHECK(t.sites[0].city == "Aurora");
  CHECK(t.sites[0].state == "Colorado");
  CHECK(t.sites[0].country == "United States");
  CHECK(t.sites[0].status == "RECRUITING");
  CHECK(t.sites[2].status == "WITHDRAWN");
  auto wurzburg = std::find_if(t.sites.begin(), t.sites.end(),
                               [](const auto& s) { return s.city == "Würzburg"; });
  REQUIRE(wurzburg != t.sites.end());
  CHECK(wurzburg->state == "Bavaria");
  CHECK(wurzburg->country == "Germany");
  CHECK(t.sites.back().facility == "H.R.U Málaga - Hospital General");
  CHECK(t.sites.back().state.empty());
  CHECK(t.sites.back().country == "Spain");

  CHECK(t.org_study_id == "CA061-1001");
  CHECK(t.secondary_ids == Strings{"2023-503823-24"});
  CHECK(t.related_nct_ids == Strings{"NCT06935474", "NCT07219563"});
}

TEST_CASE("unlabelled page of the same site: NCT07175285", "[page]") {
  Trial t = read_seed("NCT07175285");
  CHECK(t.nct_id == "NCT07175285");
  CHECK(t.brief_title.starts_with("A Study in Participants With Active Systemic Lupus"));
  CHECK(t.overall_status == "RECRUITING");
  CHECK(t.phases.empty());
  CHECK(t.study_type == "OBSERVATIONAL");
  CHECK(t.enrollment == 223);
  CHECK(t.start_date == "2025-10-08");
  CHECK(t.completion_date == "2032-11-01");
  CHECK(t.conditions.empty());
  CHECK(t.brief_summary.empty());  // only the section's boilerplate sentence on the page
  REQUIRE(t.interventions.size() == 1);
  CHECK(t.interventions[0].name == "Current standard of care treatment options");
  CHECK(t.interventions[0].description == "According to the product label");
  REQUIRE(t.arm_groups.size() == 1);
  CHECK(t.arm_groups[0].label == "Group 1");
  CHECK(t.arm_groups[0].description.starts_with("Participants with systemic lupus"));
  CHECK(t.arm_groups[0].interventions == Strings{"Current standard of care treatment options"});
  CHECK(t.eligibility_criteria.starts_with("Inclusion Criteria\n* Participants must be ≥16 years"));
  CHECK(t.eligibility_criteria.ends_with("other protocol requirements"));
  CHECK(t.minimum_age.text == "16 Years");
  CHECK(t.sex == "ALL");
  CHECK(t.healthy_volunteers == false);
  CHECK(t.lead_sponsor.name == "Bristol-Myers Squibb");
  CHECK(t.lead_sponsor.agency_class == "INDUSTRY");
  CHECK(t.collaborators.empty());
  REQUIRE(t.sites.size() == 22);
  CHECK(t.sites[9].facility == "Local Institution - 0042");
  CHECK(t.sites[9].city == "São Paulo");
  CHECK(t.sites[9].state.empty());
  CHECK(t.sites[9].country == "Brazil");
  CHECK(t.sites[9].status.empty());
  CHECK(t.org_study_id == "CA061-1025");
  CHECK(t.related_nct_ids.empty());
}

TEST_CASE("summary site with inline labels: NCT04893161", "[page]") {
  Trial t = read_seed("NCT04893161");
  CHECK(t.nct_id == "NCT04893161");
  CHECK(t.brief_title.empty());  // the page has none
  CHECK(t.overall_status == "NOT_YET_RECRUITING");
  CHECK(t.phases == Strings{"PHASE4"});
  CHECK(t.study_type == "INTERVENTIONAL");
  CHECK_FALSE(t.enrollment);
  CHECK(t.start_date == "2024-06-01");
  CHECK(t.completion_date == "2026-01-31");
  CHECK(t.brief_summary.starts_with("A prospective, single-center cohort study"));
  CHECK(t.detailed_description.starts_with("Preamble: Belimumab is an inhibitor"));
  CHECK(t.lead_sponsor.name == "First Affiliated Hospital Xi'an Jiaotong University");
  CHECK(t.conditions.empty());  // "Contact", "Phone", "Email" lines are not conditions
  CHECK(t.interventions.empty());
  CHECK(t.sites.empty());
  REQUIRE(t.related_nct_ids.size() == 20);
  CHECK(t.related_nct_ids.front() == "NCT03843125");
  CHECK(t.related_nct_ids.back() == "NCT00962832");
}

TEST_CASE("ClinConnect page: NCT05585671", "[page]") {
  Trial t = read_seed("NCT05585671");
  CHECK(t.nct_id == "NCT05585671");
  CHECK(t.brief_title == "Belimumab In Prevention of LN");
  CHECK(t.overall_status == "NOT_YET_RECRUITING");
  CHECK(t.lead_sponsor.name == "Renji Hospital");  // spelled as in "About Renji Hospital"
  CHECK(t.first_posted == "2022-10-14");
  CHECK(t.brief_summary.starts_with("This clinical trial is studying whether a medication"));
  CHECK(t.sex == "ALL");
  CHECK(t.eligibility_criteria.starts_with("Inclusion Criteria:\n* Aged ≥ 18 years old;"));
  CHECK(t.eligibility_criteria.ends_with("concurrently with belimumab"));
  CHECK(t.eligibility_criteria.find("Renji Hospital, a prestigious") == std::string::npos);
  CHECK(t.sites.empty());
  CHECK(t.related_nct_ids.empty());
}

TEST_CASE("\"- Field\" list page: NCT06535412", "[page]") {
  Trial t = read_seed("NCT06535412");
  CHECK(t.nct_id == "NCT06535412");
  CHECK(t.brief_title ==
        "A Study of IMC-002 for the Treatment of Active Systemic Lupus Erythematosus");
  CHECK(t.overall_status == "NOT_YET_RECRUITING");
  CHECK(t.phases.empty());
  CHECK(t.study_type == "INTERVENTIONAL");
  CHECK(t.enrollment == 218);
  CHECK(t.conditions == Strings{"Systemic Lupus Erythematosus"});
  REQUIRE(t.interventions.size() == 2);
  CHECK(t.interventions[0].type == "DRUG");
  CHECK(t.interventions[0].name == "IMC-002 + SOC");
  CHECK(t.interventions[1].type == "DRUG");
  CHECK(t.interventions[1].name == "Placebo + SOC");
  CHECK(t.lead_sponsor.name == "ImmuneCare Biopharmaceuticals (Shanghai) Co., Ltd.");
  CHECK(t.brief_summary.starts_with("The purpose of this study is to evaluate"));
  CHECK(t.detailed_description.starts_with("This is a phase Ib/II study"));
  CHECK(t.sex == "ALL");
  CHECK(t.eligibility_criteria.starts_with("* Has had a diagnosis of SLE for at least 12 weeks"));
  CHECK(t.eligibility_criteria.ends_with("* Other protocol defined exclusion criteria may apply."));
}

// -- Pages that are not seeds: the same layouts with other trials ------------------------------

TEST_CASE("labelled layout, another trial: other names go to the product in the title", "[page]") {
  Trial t = read_one(R"(Belimumab Versus Placebo in Lupus Nephritis

NCT ID: NCT09912345

Basic Information

Recruitment Status

COMPLETED

Clinical Phase

PHASE2/PHASE3

Total Enrollment

1,040 participants

Study Classification

INTERVENTIONAL

Study Start Date

2019-03

Study Completion Date

2022-11-30

Study Groups

Placebo plus standard therapy

Group Type PLACEBO_COMPARATOR

Placebo

Intervention Type DRUG

Saline infusion

Belimumab plus standard therapy

Group Type EXPERIMENTAL

Belimumab

Intervention Type BIOLOGICAL

10 mg/kg infusion

Interventions

Placebo

Saline infusion

Intervention Type DRUG

Belimumab

10 mg/kg infusion

Intervention Type BIOLOGICAL

Other Intervention Names

Benlysta

LymphoStat-B

Eligibility Criteria

Inclusion Criteria

* Biopsy-proven lupus nephritis

Minimum Eligible Age

12 Years

Maximum Eligible Age

75 Years

Eligible Sex

FEMALE

Accepts Healthy Volunteers

No

Locations

Hôpital Example

Lyon, , France

Site Status COMPLETED
)");
  CHECK(t.nct_id == "NCT09912345");
  CHECK(t.overall_status == "COMPLETED");
  CHECK(t.phases == Strings{"PHASE2", "PHASE3"});
  CHECK(t.enrollment == 1040);
  CHECK(t.start_date == "2019-03");
  REQUIRE(t.interventions.size() == 2);
  CHECK(t.interventions[0].other_names.empty());
  CHECK(t.interventions[1].type == "BIOLOGICAL");
  CHECK(t.interventions[1].other_names == Strings{"Benlysta", "LymphoStat-B"});
  CHECK(t.interventions[1].other_names_inferred);
  REQUIRE(t.arm_groups.size() == 2);
  CHECK(t.arm_groups[1].type == "EXPERIMENTAL");
  CHECK(t.arm_groups[1].interventions == Strings{"Belimumab"});
  CHECK(t.minimum_age.days == 12 * 365);
  CHECK(t.maximum_age.days == 75 * 365);
  CHECK(t.std_ages == Strings{"CHILD", "ADULT", "OLDER_ADULT"});
  CHECK(t.sex == "FEMALE");
  CHECK(t.eligibility_criteria == "Inclusion Criteria\n* Biopsy-proven lupus nephritis");
  REQUIRE(t.sites.size() == 1);
  CHECK(t.sites[0].city == "Lyon");
  CHECK(t.sites[0].country == "France");
  CHECK(t.sites[0].status == "COMPLETED");
}

TEST_CASE("other names with no product to choose go to the first drug", "[page]") {
  Trial t = read_one(R"(Combination Therapy in Vasculitis
NCT ID: NCT09912346
Interventions
Rituximab
1 g infusion
Intervention Type BIOLOGICAL
Prednisone
Oral taper
Intervention Type DRUG
Other Intervention Names
Deltasone
)");
  REQUIRE(t.interventions.size() == 2);
  CHECK(t.interventions[0].other_names.empty());
  CHECK(t.interventions[1].other_names == Strings{"Deltasone"});
  CHECK(t.interventions[1].other_names_inferred);
}

TEST_CASE("unlabelled layout, another trial: values recognised by shape", "[page]") {
  Trial t = read_one(R"(An Open Study of Anifrolumab in Cutaneous Lupus
NCT ID: NCT09912347
Basic Information
Get a concise snapshot of the trial, including recruitment status, study phase, enrollment targets, and key timeline milestones.
ACTIVE_NOT_RECRUITING
PHASE2
48 participants
INTERVENTIONAL
2021-04-12
2023-01-31
2023-12-31
Brief Summary
Review the sponsor-provided synopsis that highlights what the study is about and why it is being conducted.
Anifrolumab is given every four weeks.
Eligibility Criteria
Check the participation requirements, including inclusion and exclusion rules, age limits, and whether healthy volunteers are accepted.
Inclusion Criteria
* Active cutaneous lupus
6 Months
17 Years
MALE
Yes
Sponsors
Meet the organizations funding or collaborating on the study and learn about their roles.
Example Children's Hospital
OTHER
Example Foundation
NETWORK
)");
  CHECK(t.overall_status == "ACTIVE_NOT_RECRUITING");
  CHECK(t.phases == Strings{"PHASE2"});
  CHECK(t.enrollment == 48);
  CHECK(t.start_date == "2021-04-12");
  CHECK(t.primary_completion_date == "2023-01-31");
  CHECK(t.completion_date == "2023-12-31");
  CHECK(t.brief_summary == "Anifrolumab is given every four weeks.");
  CHECK(t.eligibility_criteria == "Inclusion Criteria\n* Active cutaneous lupus");
  CHECK(t.minimum_age.days == 180);
  CHECK(t.maximum_age.days == 17 * 365);
  CHECK(t.std_ages == Strings{"CHILD"});
  CHECK(t.sex == "MALE");
  CHECK(t.healthy_volunteers == true);
  CHECK(t.lead_sponsor.name == "Example Children's Hospital");
  CHECK(t.lead_sponsor.agency_class == "OTHER");
  REQUIRE(t.collaborators.size() == 1);
  CHECK(t.collaborators[0].agency_class == "NETWORK");
}

TEST_CASE("inline-label layout, another trial", "[page]") {
  Trial t = read_one(R"(Clinical Trial Summary

Vitamin D supplementation for fatigue in lupus.

NCT number NCT09912348
Study type Observational
Source Example University Hospital
Contact A. Person
Status Active, not recruiting
Phase N/A
Start date March 2020
Completion date Dec 1, 2021

See also
  Status Clinical Trial Phase
Completed NCT09912349 - Something Else Phase 2
Unknown status NCT09912350 - Another Study N/A
)");
  CHECK(t.nct_id == "NCT09912348");
  CHECK(t.study_type == "OBSERVATIONAL");
  CHECK(t.lead_sponsor.name == "Example University Hospital");
  CHECK(t.overall_status == "ACTIVE_NOT_RECRUITING");
  CHECK(t.phases == Strings{"NA"});
  CHECK(t.start_date == "2020-03");
  CHECK(t.completion_date == "2021-12-01");
  CHECK(t.brief_summary == "Vitamin D supplementation for fatigue in lupus.");
  CHECK(t.related_nct_ids == Strings{"NCT09912349", "NCT09912350"});
}

TEST_CASE("ClinConnect layout, another trial", "[page]") {
  Trial t = read_one(R"(ClinConnect ClinConnect Logo
Search / Trial NCT09912351

Hydroxychloroquine Levels in Pregnancy

Launched by EXAMPLE WOMEN'S HOSPITAL · Mar 3, 2021

Trial Information

Current as of January 02, 2025

Completed

ClinConnect Summary

A study of drug levels.

Gender

FEMALE

Eligibility criteria

  • Inclusion Criteria:
  • Pregnant

About Example Women's Hospital

A hospital.

Similar Trials
)");
  CHECK(t.nct_id == "NCT09912351");
  CHECK(t.brief_title == "Hydroxychloroquine Levels in Pregnancy");
  CHECK(t.overall_status == "COMPLETED");
  CHECK(t.lead_sponsor.name == "Example Women's Hospital");
  CHECK(t.first_posted == "2021-03-03");
  CHECK(t.sex == "FEMALE");
  CHECK(t.eligibility_criteria == "Inclusion Criteria:\n* Pregnant");
}

TEST_CASE("\"- Field\" layout, another trial: glued typed interventions", "[page]") {
  Trial t = read_one(R"(Telitacicept in IgA Nephropathy
- Conditions
- IgA Nephropathy
- Interventions
- Biological: TelitaciceptOther: Placebo injectionBehavioral: Diet counselling
- Registration Number
- NCT09912352
- Lead Sponsor
- Example Biotech Co., Ltd.
Recruitment & Eligibility
- Status
- RECRUITING
- Sex
- Male
- Target Recruitment
- 90
- Proteinuria above 1 g/day
- Kidney transplant
Study & Design
- Study Type
- INTERVENTIONAL
)");
  CHECK(t.nct_id == "NCT09912352");
  CHECK(t.conditions == Strings{"IgA Nephropathy"});
  REQUIRE(t.interventions.size() == 3);
  CHECK(t.interventions[0].type == "BIOLOGICAL");
  CHECK(t.interventions[0].name == "Telitacicept");
  CHECK(t.interventions[1].type == "OTHER");
  CHECK(t.interventions[1].name == "Placebo injection");
  CHECK(t.interventions[2].type == "BEHAVIORAL");
  CHECK(t.interventions[2].name == "Diet counselling");
  CHECK(t.overall_status == "RECRUITING");
  CHECK(t.sex == "MALE");
  CHECK(t.enrollment == 90);
  CHECK(t.eligibility_criteria == "* Proteinuria above 1 g/day\n* Kidney transplant");
  CHECK(t.study_type == "INTERVENTIONAL");
}

// -- Refusals and junk ---------------------------------------------------------------------------

TEST_CASE("a text without an NCT id is refused once", "[page]") {
  auto sink = read_text("Recruitment Status\nRECRUITING\nA page about lupus, without any id.\n");
  CHECK(sink.trials.empty());
  CHECK(sink.skips == Strings{"page.txt: text without an NCT id: not a trial page"});
}

TEST_CASE("a note naming an NCT id, with no trial-page heading, is refused", "[page]") {
  auto sink = read_text("# notes\n- see NCT09912353.txt for the example\n");
  CHECK(sink.trials.empty());
  REQUIRE(sink.skips.size() == 1);
  CHECK(sink.skips[0].find("not a trial page") != std::string::npos);
}

TEST_CASE("junk never crashes the reader", "[page]") {
  std::mt19937 rng(20240601);
  std::vector<std::string> inputs{"",
                                  "\n\n\n",
                                  std::string(1, '\0'),
                                  "NCT",
                                  "NCT0000000",
                                  std::string(2'000'000, 'x'),
                                  "Status\n",
                                  "Locations\n,\n,,\n",
                                  "NCT ID: NCT09912354\nInterventions\nIntervention Type\n"
                                  "Study Groups\nGroup Type\nOther Intervention Names\nX\n"};
  for (int i = 0; i < 200; ++i) {
    std::string junk(static_cast<std::size_t>(rng() % 4000), '\0');
    for (char& c : junk) c = static_cast<char>(rng() % 256);
    if (i % 2) junk += "\nNCT ID: NCT09912355\nConditions\n" + junk;
    inputs.push_back(std::move(junk));
  }
  inputs.push_back("NCT ID: NCT09912356\nConditions\n" + std::string(1'000'000, 'A') + "\n" +
                   std::string(500'000, ' ') + "Phase 2\n");
  for (const auto& input : inputs) {
    CollectingSink sink;
    CHECK_NOTHROW(trialsearch::read_page_text(input, Origin{}, sink));
    CHECK(sink.trials.size() + sink.skips.size() == 1);
  }
}

// -- The corpus ----------------------------------------------------------------------------------

TEST_CASE("every corpus file reads with no skips", "[page][corpus]") {
  std::vector<std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(trialsearch::test::corpus_dir()))
    if (entry.is_regular_file() && entry.path().filename() != "README.md")
      files.push_back(entry.path().string());
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() == 9);  // 5 seed pages, 1 JSON, 1 NDJSON (3 studies), 2 XML

  CollectingSink sink;
  trialsearch::read_sources(files, sink);
  INFO(::Catch::Detail::stringify(sink.skips));
  CHECK(sink.skips.empty());
  REQUIRE(sink.trials.size() == 11);
  Strings ids;
  for (const auto& t : sink.trials) ids.push_back(t.nct_id);
  std::sort(ids.begin(), ids.end());
  CHECK(ids == Strings{"NCT04893161", "NCT05585671", "NCT05869955", "NCT06535412", "NCT07175285",
                       "NCT09900001", "NCT09900002", "NCT09900003", "NCT09900004", "NCT09900005",
                       "NCT09900006"});
}
