// The page-text reader's heading table: every heading and label, with the synonyms the sites
// use, and what each introduces.
#include <array>
#include <span>

#include "indexer/page_text.hpp"

namespace trialsearch::page_text {
namespace {

constexpr std::array kHeadings{
    Heading{"basic information", Field::Facts},
    Heading{"trial information", Field::Facts},
    Heading{"study & design", Field::Facts},
    Heading{"study details", Field::Facts},
    Heading{"study overview", Field::Facts},
    Heading{"key information", Field::Facts},
    Heading{"recruitment & eligibility", Field::EligibilityFacts},
    Heading{"recruitment and eligibility", Field::EligibilityFacts},
    Heading{"study results", Field::Ignored},
    Heading{"study design", Field::Ignored},
    Heading{"design details", Field::Ignored},
    Heading{"responsible party", Field::Ignored},
    Heading{"principal investigators", Field::Ignored},
    Heading{"investigators", Field::Ignored},
    Heading{"countries", Field::Ignored},
    Heading{"central contacts", Field::Ignored},
    Heading{"facility contacts", Field::Ignored},
    Heading{"contacts", Field::Ignored},
    Heading{"contact information", Field::Ignored},
    Heading{"related links", Field::Ignored},
    Heading{"links", Field::Ignored},
    Heading{"references", Field::Ignored},
    Heading{"publications", Field::Ignored},
    Heading{"timeline", Field::Ignored},
    Heading{"patients applied", Field::Ignored},
    Heading{"first submit", Field::Ignored},
    Heading{"trial launched", Field::Ignored},
    Heading{"trial updated", Field::Ignored},
    Heading{"arm && interventions", Field::Ignored},
    Heading{"primary outcome measures", Field::Ignored},
    Heading{"secondary outcome measures", Field::Ignored},
    Heading{"other outcome measures", Field::Ignored},
    Heading{"outcome measures", Field::Ignored},
    Heading{"brief summary", Field::BriefSummary},
    Heading{"clinical trial summary", Field::BriefSummary},
    Heading{"clinconnect summary", Field::BriefSummary},
    Heading{"study summary", Field::BriefSummary},
    Heading{"summary", Field::BriefSummary},
    Heading{"detailed description", Field::DetailedDescription},
    Heading{"clinical trial description", Field::DetailedDescription},
    Heading{"study description", Field::DetailedDescription},
    Heading{"description", Field::DetailedDescription},
    Heading{"conditions", Field::Conditions},
    Heading{"condition", Field::Conditions},
    Heading{"related conditions & mesh terms", Field::Conditions},
    Heading{"conditions studied", Field::Conditions},
    Heading{"keywords", Field::Keywords},
    Heading{"keyword", Field::Keywords},
    Heading{"interventions", Field::Interventions},
    Heading{"intervention", Field::Interventions},
    Heading{"interventions/treatments", Field::Interventions},
    Heading{"other intervention names", Field::OtherNames},
    Heading{"other names", Field::OtherNames},
    Heading{"study groups", Field::ArmGroups},
    Heading{"arm groups", Field::ArmGroups},
    Heading{"study arms", Field::ArmGroups},
    Heading{"arms", Field::ArmGroups},
    Heading{"eligibility criteria", Field::Eligibility},
    Heading{"eligibility", Field::Eligibility},
    Heading{"sponsors", Field::Sponsors},
    Heading{"sponsor", Field::Sponsors},
    Heading{"sponsors and collaborators", Field::Sponsors},
    Heading{"collaborators", Field::Collaborators},
    Heading{"collaborator", Field::Collaborators},
    Heading{"locations", Field::Locations},
    Heading{"study locations", Field::Locations},
    Heading{"trial locations", Field::Locations},
    Heading{"sites", Field::Locations},
    Heading{"other identifiers", Field::OtherIds},
    Heading{"other study id numbers", Field::OtherIds},
    Heading{"secondary ids", Field::OtherIds},
    Heading{"more related trials", Field::Related},
    Heading{"related trials", Field::Related},
    Heading{"see also", Field::Related},
    Heading{"similar trials", Field::Related},
    Heading{"similar studies", Field::Related},
    Heading{"nct id", Field::NctId},
    Heading{"nct number", Field::NctId},
    Heading{"nct no", Field::NctId},
    Heading{"registration number", Field::NctId},
    Heading{"clinicaltrials.gov id", Field::NctId},
    Heading{"brief title", Field::Title},
    Heading{"study title", Field::Title},
    Heading{"title", Field::Title},
    Heading{"official title", Field::OfficialTitle},
    Heading{"recruitment status", Field::Status},
    Heading{"overall status", Field::Status},
    Heading{"trial status", Field::Status},
    Heading{"study status", Field::Status},
    Heading{"status", Field::Status},
    Heading{"clinical phase", Field::Phase},
    Heading{"study phase", Field::Phase},
    Heading{"trial phase", Field::Phase},
    Heading{"phases", Field::Phase},
    Heading{"phase", Field::Phase},
    Heading{"study classification", Field::StudyType},
    Heading{"study type", Field::StudyType},
    Heading{"total enrollment", Field::Enrollment},
    Heading{"target recruitment", Field::Enrollment},
    Heading{"target enrollment", Field::Enrollment},
    Heading{"estimated enrollment", Field::Enrollment},
    Heading{"actual enrollment", Field::Enrollment},
    Heading{"enrollment", Field::Enrollment},
    Heading{"number of participants", Field::Enrollment},
    Heading{"study start date", Field::StartDate},
    Heading{"study start", Field::StartDate},
    Heading{"start date", Field::StartDate},
    Heading{"primary completion date", Field::PrimaryCompletionDate},
    Heading{"primary completion", Field::PrimaryCompletionDate},
    Heading{"study completion date", Field::CompletionDate},
    Heading{"study completion", Field::CompletionDate},
    Heading{"completion date", Field::CompletionDate},
    Heading{"estimated completion", Field::CompletionDate},
    Heading{"first posted", Field::FirstPosted},
    Heading{"last updated", Field::LastUpdate},
    Heading{"last update posted", Field::LastUpdate},
    Heading{"minimum eligible age", Field::MinimumAge},
    Heading{"minimum age", Field::MinimumAge},
    Heading{"maximum eligible age", Field::MaximumAge},
    Heading{"maximum age", Field::MaximumAge},
    Heading{"eligible sex", Field::Sex},
    Heading{"sexes eligible", Field::Sex},
    Heading{"sex", Field::Sex},
    Heading{"gender", Field::Sex},
    Heading{"accepts healthy volunteers", Field::HealthyVolunteers},
    Heading{"healthy volunteers", Field::HealthyVolunteers},
    Heading{"lead sponsor", Field::LeadSponsor},
    Heading{"source", Field::LeadSponsor},
    Heading{"org study id", Field::OrgStudyId},
    Heading{"organization study id", Field::OrgStudyId},
    Heading{"launched by", Field::LaunchedBy},
};

}  // namespace

std::span<const Heading> headings() { return kHeadings; }

Shape shape_of(Field f) {
  switch (f) {
    case Field::NctId:
      return Shape::NctId;
    case Field::Status:
      return Shape::Status;
    case Field::Phase:
      return Shape::Phase;
    case Field::StudyType:
      return Shape::StudyType;
    case Field::Enrollment:
      return Shape::Count;
    case Field::StartDate:
    case Field::PrimaryCompletionDate:
    case Field::CompletionDate:
    case Field::FirstPosted:
    case Field::LastUpdate:
      return Shape::Date;
    case Field::MinimumAge:
    case Field::MaximumAge:
      return Shape::Age;
    case Field::Sex:
      return Shape::Sex;
    case Field::HealthyVolunteers:
      return Shape::YesNo;
    default:
      return Shape::Text;
  }
}

bool is_narrative(Field f) { return f == Field::BriefSummary || f == Field::DetailedDescription; }

bool takes_inline_labels(Field f) {
  switch (f) {
    case Field::Preamble:
    case Field::Facts:
    case Field::EligibilityFacts:
    case Field::Ignored:
    case Field::Conditions:
    case Field::BriefSummary:
    case Field::DetailedDescription:
      return true;
    default:
      return false;
  }
}

}  // namespace trialsearch::page_text
