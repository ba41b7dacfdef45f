/// @brief Shared value normalisation for readers: statuses, phases, dates, ages, sexes into the
/// Trial model's spelling.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "indexer/trial.hpp"

namespace trialsearch {

/// The registry's closed vocabularies, in API v2 spelling (what the normalisers below return).
inline constexpr std::array<std::string_view, 14> kOverallStatuses{"RECRUITING",
                                                                   "NOT_YET_RECRUITING",
                                                                   "ACTIVE_NOT_RECRUITING",
                                                                   "COMPLETED",
                                                                   "ENROLLING_BY_INVITATION",
                                                                   "SUSPENDED",
                                                                   "TERMINATED",
                                                                   "WITHDRAWN",
                                                                   "UNKNOWN",
                                                                   "AVAILABLE",
                                                                   "NO_LONGER_AVAILABLE",
                                                                   "TEMPORARILY_NOT_AVAILABLE",
                                                                   "APPROVED_FOR_MARKETING",
                                                                   "WITHHELD"};
inline constexpr std::array<std::string_view, 6> kPhases{"EARLY_PHASE1", "PHASE1", "PHASE2",
                                                         "PHASE3",       "PHASE4", "NA"};
inline constexpr std::array<std::string_view, 3> kStudyTypes{"INTERVENTIONAL", "OBSERVATIONAL",
                                                             "EXPANDED_ACCESS"};
inline constexpr std::array<std::string_view, 9> kAgencyClasses{
    "INDUSTRY", "NIH", "FED", "OTHER_GOV", "NETWORK", "OTHER", "UNKNOWN", "INDIV", "AMBIG"};
inline constexpr std::array<std::string_view, 3> kSexes{"ALL", "FEMALE", "MALE"};
inline constexpr std::array<std::string_view, 3> kStdAgeGroups{"CHILD", "ADULT", "OLDER_ADULT"};

/// "Active, not recruiting" / "ACTIVE_NOT_RECRUITING" / "active-not recruiting" ->
/// "ACTIVE_NOT_RECRUITING". "Unknown status" -> "UNKNOWN". Empty in, empty out.
std::string normalize_enum(std::string_view text);

/// Overall status in API v2 spelling (normalize_enum plus the legacy "Unknown status").
std::string normalize_status(std::string_view text);

/// "Phase 1/Phase 2" -> {PHASE1, PHASE2}; "PHASE2" -> {PHASE2}; "N/A" -> {NA};
/// "Early Phase 1" -> {EARLY_PHASE1}; "Phase Ib/II" -> {PHASE1, PHASE2}; "Phase 4" -> {PHASE4}.
std::vector<std::string> normalize_phases(std::string_view text);

/// Dates in any of the registry's spellings ("2023-09-13", "2023-09", "June 1, 2024",
/// "June 2024", "Oct 14, 2022") -> "YYYY-MM-DD" or "YYYY-MM". Unparseable -> empty.
std::string normalize_date(std::string_view text);

/// Days since 0000-01-01 of an ISO date from normalize_date, as a sortable number
/// (YYYYMMDD with day 01 for month-only dates). nullopt for empty or invalid.
std::optional<int> date_number(std::string_view iso);

/// "18 Years", "6 Months", "N/A", "16 Years old" -> AgeLimit with days (years*365, months*30,
/// weeks*7, days, hours/24 rounded down). "N/A" and empty give no days.
AgeLimit parse_age(std::string_view text);

/// The registry's standard age groups overlapping [min, max]: CHILD (birth-17 years),
/// ADULT (18-64), OLDER_ADULT (65+). A missing limit is open-ended.
std::vector<std::string> derive_std_ages(const AgeLimit& minimum, const AgeLimit& maximum);

/// "All"/"Both" -> ALL, "Female" -> FEMALE, "Male" -> MALE.
std::string normalize_sex(std::string_view text);

/// What a user typed or piped in, fit for a one-line message: control characters and bytes
/// that are not UTF-8 text become '?', and more than `max_bytes` is cut with "... (N bytes)".
std::string shown_input(std::string_view text, std::size_t max_bytes = 64);

/// True for "NCT" + 8 digits (case-insensitive).
bool is_nct_id(std::string_view text);

}  // namespace trialsearch
