/// @brief The Trial model: one clinical trial as every reader produces it and every tool consumes
/// it.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace trialsearch {

/// A drug, device, procedure... tested by the trial. `other_names` holds code names, brand and
/// generic names the sponsor lists as alternatives; they are the main source of drug aliases.
struct Intervention {
  std::string type;  ///< upper snake case as in API v2: DRUG, BIOLOGICAL, DEVICE, PROCEDURE...
  std::string name;
  std::string description;
  std::vector<std::string> other_names;
  /// True when the other names were attributed by inference (a page that lists other names
  /// apart from the interventions), not stated by the record itself.
  bool other_names_inferred = false;
};

struct ArmGroup {
  std::string label;
  std::string type;  ///< EXPERIMENTAL, PLACEBO_COMPARATOR, ...
  std::string description;
  std::vector<std::string> interventions;  ///< intervention names as given
};

struct Sponsor {
  std::string name;
  std::string agency_class;  ///< INDUSTRY, NIH, FED, OTHER_GOV, NETWORK, OTHER, UNKNOWN...
};

struct Site {
  std::string facility;
  std::string city;
  std::string state;
  std::string zip;
  std::string country;
  std::string status;  ///< site recruitment status, upper snake case
  std::optional<double> latitude;
  std::optional<double> longitude;
};

struct Outcome {
  std::string measure;
  std::string time_frame;
  std::string description;
};

/// An age limit: the record's text ("18 Years", "6 Months") and its value in days when parseable.
struct AgeLimit {
  std::string text;
  std::optional<int> days;
};

/// Where a record came from: enough for a message to point a user at it.
struct Origin {
  std::string file;
  std::string entry;     ///< entry inside an archive, if any
  std::size_t line = 0;  ///< 1-based line for NDJSON and stdin, 0 if not line-based
  std::string format;    ///< "ctgov-json-v2", "ctgov-xml", "page-text"
};

/// "file", "file:entry" or "file:line N": the place to name in a message.
std::string describe(const Origin& origin);

struct Trial {
  std::string nct_id;  ///< NCT followed by 8 digits, upper case
  std::string org_study_id;
  std::vector<std::string> secondary_ids;

  std::string brief_title;
  std::string official_title;
  std::string acronym;

  std::string overall_status;       ///< RECRUITING, COMPLETED, ... (API v2 enum spelling)
  std::vector<std::string> phases;  ///< EARLY_PHASE1, PHASE1 ... PHASE4, NA
  std::string study_type;           ///< INTERVENTIONAL, OBSERVATIONAL, EXPANDED_ACCESS

  std::vector<std::string> conditions;
  std::vector<std::string> keywords;
  std::vector<std::string> condition_mesh;  ///< MeSH terms the registry attached to conditions
  std::vector<std::string> condition_mesh_ancestors;
  std::vector<std::string> intervention_mesh;
  std::vector<std::string> intervention_mesh_ancestors;
  std::vector<std::string> condition_mesh_ids;  ///< MeSH descriptor ids (D008180) when given
  std::vector<std::string> intervention_mesh_ids;

  std::vector<Intervention> interventions;
  std::vector<ArmGroup> arm_groups;

  std::string brief_summary;
  std::string detailed_description;
  std::string eligibility_criteria;
  AgeLimit minimum_age;
  AgeLimit maximum_age;
  std::string sex;  ///< ALL, FEMALE, MALE (empty if not given)
  std::optional<bool> healthy_volunteers;
  std::vector<std::string> std_ages;  ///< CHILD, ADULT, OLDER_ADULT

  Sponsor lead_sponsor;
  std::vector<Sponsor> collaborators;
  std::vector<Site> sites;

  // Dates as ISO 8601 text: YYYY-MM-DD, or YYYY-MM when the record gives only a month.
  std::string start_date;
  std::string primary_completion_date;
  std::string completion_date;
  std::string first_posted;
  std::string last_update_posted;

  std::optional<long> enrollment;
  std::string enrollment_type;  ///< ACTUAL or ESTIMATED

  std::vector<Outcome> primary_outcomes;
  std::vector<Outcome> secondary_outcomes;

  std::vector<std::string> related_nct_ids;  ///< "similar" / "see also" trials named by the source
  bool has_results = false;

  Origin origin;
};

}  // namespace trialsearch
