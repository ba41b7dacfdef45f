#include <catch2/catch.hpp>

#include <string>

#include "analyzers/alias_graph.hpp"
#include "analyzers/alias_rules.hpp"

using trialsearch::alias_key;
using trialsearch::name_verdict;
using trialsearch::NameVerdict;
using trialsearch::placebo_arm_type;

namespace {

struct VerdictCase {
  const char* name;
  NameVerdict verdict;
};

// Each rule of name_verdict() with names seen in ClinicalTrials.gov records, and the drug names
// beside them that must stay linkable.
// clang-format off
const VerdictCase kCases[] = {
  // drugs, codes, brands: linkable
  {"belimumab",                         NameVerdict::Linkable},
  {"Benlysta",                          NameVerdict::Linkable},
  {"CC-97540",                          NameVerdict::Linkable},
  {"5-FU",                              NameVerdict::Linkable},
  {"aldesleukin",                       NameVerdict::Linkable},
  {"sargramostim",                      NameVerdict::Linkable},
  {"interferon alfa-2b",                NameVerdict::Linkable},
  {"peginterferon alfa-2a",             NameVerdict::Linkable},
  {"ilaprazole",                        NameVerdict::Linkable},
  {"recombinant interleukin-2",         NameVerdict::Linkable},
  {"mycophenolate mofetil",             NameVerdict::Linkable},
  {"normal saline",                     NameVerdict::Linkable},
  {"cis-diamminedichloroplatinum(II)",  NameVerdict::Linkable},
  {"trimethoprim-sulfamethoxazole",     NameVerdict::Linkable},
  {"radiotherapy",                      NameVerdict::Linkable},
  // placebo, sham, controls
  {"Placebo",                           NameVerdict::NotADrug},
  {"placebo to match bupropion",        NameVerdict::NotADrug},
  {"Inactive matching placebo",         NameVerdict::NotADrug},
  {"Sham procedure",                    NameVerdict::NotADrug},
  {"vehicle cream",                     NameVerdict::NotADrug},
  {"Control",                           NameVerdict::NotADrug},
  {"active comparator",                 NameVerdict::NotADrug},
  {"Standard of care",                  NameVerdict::NotADrug},
  {"usual care",                        NameVerdict::NotADrug},
  {"No intervention",                   NameVerdict::NotADrug},
  {"wait list",                         NameVerdict::NotADrug},
  // stopwords and ambiguous abbreviations
  {"and",                               NameVerdict::Stopword},
  {"The",                               NameVerdict::Stopword},
  {"and/or",                            NameVerdict::Stopword},
  {"a",                                 NameVerdict::Stopword},
  {"b",                                 NameVerdict::TooShort},
  {"DM",                                NameVerdict::TooShort},
  {"dex",                               NameVerdict::TooShort},
  {"MMF",                               NameVerdict::TooShort},
  // doses and schedules
  {"100 & 400 mcg",                     NameVerdict::DoseOnly},
  {"10 mg/kg",                          NameVerdict::DoseOnly},
  {"Day 1-5",                           NameVerdict::DoseOnly},
  {"low dose",                          NameVerdict::DoseOnly},
  {"12",                                NameVerdict::DoseOnly},
  // arm and product labels
  {"Drug A",                            NameVerdict::ArmLabel},
  {"Arm 2",                             NameVerdict::ArmLabel},
  {"group B",                           NameVerdict::ArmLabel},
  {"Study drug",                        NameVerdict::ArmLabel},
  {"cohort III",                        NameVerdict::ArmLabel},
  {"Treatment",                         NameVerdict::ArmLabel},
  // classes, regimens, combinations
  {"anti-hypertensive agents",          NameVerdict::DrugClass},
  {"CMF regimen",                       NameVerdict::DrugClass},
  {"chemotherapy",                      NameVerdict::DrugClass},
  {"platinum",                          NameVerdict::DrugClass},
  {"amlodipine / benazepril",           NameVerdict::DrugClass},
  {"SU5416 and carboplatin",            NameVerdict::DrugClass},
  {"docetaxel + cyclophosphamide",      NameVerdict::DrugClass},
  // endogenous molecules, which several products are
  {"IL-2",                              NameVerdict::Molecule},
  {"il2",                               NameVerdict::Molecule},
  {"Interleukin-12",                    NameVerdict::Molecule},
  {"GM-CSF",                            NameVerdict::Molecule},
  {"G-CSF",                             NameVerdict::Molecule},
  {"gcsf",                              NameVerdict::Molecule},
  {"granulocyte macrophage-colony stimulating factor", NameVerdict::Molecule},
  {"Granulocyte Colony-Stimulating Factor", NameVerdict::Molecule},
  {"interferon",                        NameVerdict::Molecule},
  {"Interferon gamma",                  NameVerdict::Molecule},
  {"IFN-alpha",                         NameVerdict::Molecule},
  {"TNF alpha",                         NameVerdict::Molecule},
  // sentences
  {"fludarabine on day 2-6, 25 mg/m^2 day x 5 days administered as an intravenous push",
                                        NameVerdict::Description},
  // nothing
  {"",                                  NameVerdict::Empty},
  {"(-)",                               NameVerdict::Empty},
};
// clang-format on

}  // namespace

TEST_CASE("names that cannot name a drug are never linked", "[analyzers][aliases]") {
  for (const auto& c : kCases) {
    INFO(c.name << " -> " << trialsearch::verdict_label(name_verdict(alias_key(c.name))));
    CHECK(name_verdict(alias_key(c.name)) == c.verdict);
  }
}

TEST_CASE("placebo and sham arms are told apart from active ones", "[analyzers][aliases]") {
  CHECK(placebo_arm_type("PLACEBO_COMPARATOR"));
  CHECK(placebo_arm_type("Placebo Comparator"));  // legacy XML
  CHECK(placebo_arm_type("SHAM_COMPARATOR"));
  CHECK(placebo_arm_type("No Intervention"));
  CHECK_FALSE(placebo_arm_type("EXPERIMENTAL"));
  CHECK_FALSE(placebo_arm_type("Active Comparator"));
  CHECK_FALSE(placebo_arm_type(""));
}
