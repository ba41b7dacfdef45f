/// @brief Human labels for the registry's coded values, as ClinicalTrials.gov's website shows
/// them: "Not yet recruiting", "Phase 1/2", "Korea, Republic of". For the human output only;
/// JSON keeps the API values.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace trialsearch::cli {

/// An overall status, in API spelling (NOT_YET_RECRUITING) or as a filter value
/// (not_yet_recruiting): "Not yet recruiting", "Active, not recruiting".
std::string status_label(std::string_view status);

/// A trial's phases: {PHASE1, PHASE2} -> "Phase 1/2"; {EARLY_PHASE1} -> "Early phase 1";
/// {NA} -> "Not applicable"; none -> "-".
std::string phases_label(const std::vector<std::string>& phases);

/// A study type, in API spelling or as a filter value: "Interventional", "Expanded access".
std::string study_type_label(std::string_view type);

/// A facet value (a filter value: "korea_republic_of", "phase1", "industry") as shown for the
/// facet `facet` ("status", "phase", "country", "type", "sponsor-class").
std::string facet_label(std::string_view facet, std::string_view value);

}  // namespace trialsearch::cli
