// ClinicalTrials.gov API v2 JSON -> Trial. Every field access tolerates a missing key or a value
// of the wrong type by treating it as absent, so no input can make the reader throw.
#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <simdjson.h>

#include "analyzers/strings.hpp"
#include "indexer/format_readers.hpp"
#include "indexer/normalize.hpp"

namespace trialsearch {

namespace {

using simdjson::dom::element;
using Node = simdjson::simdjson_result<element>;  // an element, or why there is none

constexpr std::string_view kFormat = "ctgov-json-v2";

// ---- typed access: a missing value or a value of another type is absent ----

std::string text(Node node) {
  std::string_view s;
  if (node.get_string().get(s) != simdjson::SUCCESS) return {};
  return std::string(s);
}

// The value as T (bool, std::int64_t, double...), or nullopt when missing or of another type.
template <class T>
std::optional<T> get(Node node) {
  T value{};
  if (node.get<T>().get(value) != simdjson::SUCCESS) return std::nullopt;
  return value;
}

// True for an object with at least one member.
bool has_members(Node node) {
  simdjson::dom::object object;
  return node.get_object().get(object) == simdjson::SUCCESS && object.size() > 0;
}

// Calls f(Node) for each element of an array; nothing when `node` is not an array.
template <class F>
void for_each(Node node, F f) {
  simdjson::dom::array items;
  if (node.get_array().get(items) != simdjson::SUCCESS) return;
  for (element item : items) f(Node(element(item)));  // a copied handle: moving one does nothing
}

// Calls f(Node) for each object in an array (other elements ignored).
template <class F>
void for_each_object(Node node, F f) {
  for_each(node, [&](Node item) {
    if (item.is_object()) f(item);
  });
}

// The strings of an array of strings (other elements ignored).
std::vector<std::string> texts(Node node) {
  std::vector<std::string> out;
  for_each(node, [&](Node item) {
    if (auto s = text(item); !s.empty()) out.push_back(std::move(s));
  });
  return out;
}

// The string `key` of each object in an array of objects.
std::vector<std::string> member_texts(Node node, std::string_view key) {
  std::vector<std::string> out;
  for_each(node, [&](Node item) {
    if (auto s = text(item[key]); !s.empty()) out.push_back(std::move(s));
  });
  return out;
}

void add_unique(std::vector<std::string>& list, std::string value) {
  if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(std::move(value));
}

// ---- protocolSection modules ----

// The study's NCT id, trimmed and upper case (empty when absent).
std::string nct_id(Node identification) {
  std::string id(trim(text(identification["nctId"])));
  std::transform(id.begin(), id.end(), id.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return id;
}

void read_identification(Node m, Trial& t) {
  t.nct_id = nct_id(m);
  t.org_study_id = text(m["orgStudyIdInfo"]["id"]);
  t.secondary_ids = member_texts(m["secondaryIdInfos"], "id");
  t.brief_title = text(m["briefTitle"]);
  t.official_title = text(m["officialTitle"]);
  t.acronym = text(m["acronym"]);
}

std::string struct_date(Node date_struct) { return normalize_date(text(date_struct["date"])); }

void read_status(Node m, Trial& t) {
  t.overall_status = normalize_status(text(m["overallStatus"]));
  t.start_date = struct_date(m["startDateStruct"]);
  t.primary_completion_date = struct_date(m["primaryCompletionDateStruct"]);
  t.completion_date = struct_date(m["completionDateStruct"]);
  t.first_posted = struct_date(m["studyFirstPostDateStruct"]);
  t.last_update_posted = struct_date(m["lastUpdatePostDateStruct"]);
  // The only related trial API v2 names: the expanded-access record a study points to.
  if (auto id = text(m["expandedAccessInfo"]["nctId"]); is_nct_id(id))
    t.related_nct_ids.push_back(id);
}

Sponsor sponsor(Node node) { return {text(node["name"]), normalize_enum(text(node["class"]))}; }

void read_sponsors(Node m, Trial& t) {
  t.lead_sponsor = sponsor(m["leadSponsor"]);
  for_each_object(m["collaborators"], [&](Node c) { t.collaborators.push_back(sponsor(c)); });
}

void read_description(Node m, Trial& t) {
  t.brief_summary = text(m["briefSummary"]);
  t.detailed_description = text(m["detailedDescription"]);
}

void read_conditions(Node m, Trial& t) {
  t.conditions = texts(m["conditions"]);
  t.keywords = texts(m["keywords"]);
}

void read_design(Node m, Trial& t) {
  t.study_type = normalize_enum(text(m["studyType"]));
  for (const auto& phase : texts(m["phases"]))
    for (auto& p : normalize_phases(phase)) add_unique(t.phases, std::move(p));
  if (auto count = get<std::int64_t>(m["enrollmentInfo"]["count"])) t.enrollment = *count;
  t.enrollment_type = normalize_enum(text(m["enrollmentInfo"]["type"]));
}

Intervention intervention(Node node) {
  return {normalize_enum(text(node["type"])), text(node["name"]), text(node["description"]),
          texts(node["otherNames"]), false};
}

ArmGroup arm_group(Node node) {
  return {text(node["label"]), normalize_enum(text(node["type"])), text(node["description"]),
          texts(node["interventionNames"])};
}

void read_arms(Node m, Trial& t) {
  for_each_object(m["interventions"], [&](Node i) { t.interventions.push_back(intervention(i)); });
  for_each_object(m["armGroups"], [&](Node a) { t.arm_groups.push_back(arm_group(a)); });
}

std::vector<Outcome> outcomes(Node node) {
  std::vector<Outcome> out;
  for_each_object(node, [&](Node o) {
    out.push_back({text(o["measure"]), text(o["timeFrame"]), text(o["description"])});
  });
  return out;
}

void read_outcomes(Node m, Trial& t) {
  t.primary_outcomes = outcomes(m["primaryOutcomes"]);
  t.secondary_outcomes = outcomes(m["secondaryOutcomes"]);
}

void read_eligibility(Node m, Trial& t) {
  t.eligibility_criteria = text(m["eligibilityCriteria"]);
  t.healthy_volunteers = get<bool>(m["healthyVolunteers"]);
  t.sex = normalize_sex(text(m["sex"]));
  t.minimum_age = parse_age(text(m["minimumAge"]));
  t.maximum_age = parse_age(text(m["maximumAge"]));
  for (const auto& age : texts(m["stdAges"])) add_unique(t.std_ages, normalize_enum(age));
  if (t.std_ages.empty()) t.std_ages = derive_std_ages(t.minimum_age, t.maximum_age);
}

Site site(Node node) {
  return {text(node["facility"]),
          text(node["city"]),
          text(node["state"]),
          text(node["zip"]),
          text(node["country"]),
          normalize_enum(text(node["status"])),
          get<double>(node["geoPoint"]["lat"]),
          get<double>(node["geoPoint"]["lon"])};
}

void read_locations(Node m, Trial& t) {
  for_each_object(m["locations"], [&](Node s) { t.sites.push_back(site(s)); });
}

// ---- derivedSection ----

void read_derived(Node derived, Trial& t) {
  Node conditions = derived["conditionBrowseModule"];
  t.condition_mesh = member_texts(conditions["meshes"], "term");
  t.condition_mesh_ids = member_texts(conditions["meshes"], "id");
  t.condition_mesh_ancestors = member_texts(conditions["ancestors"], "term");
  Node interventions = derived["interventionBrowseModule"];
  t.intervention_mesh = member_texts(interventions["meshes"], "term");
  t.intervention_mesh_ids = member_texts(interventions["meshes"], "id");
  t.intervention_mesh_ancestors = member_texts(interventions["ancestors"], "term");
}

Trial to_trial(element study, const Origin& origin) {
  Trial t;
  Node protocol = study["protocolSection"];
  read_identification(protocol["identificationModule"], t);
  read_status(protocol["statusModule"], t);
  read_sponsors(protocol["sponsorCollaboratorsModule"], t);
  read_description(protocol["descriptionModule"], t);
  read_conditions(protocol["conditionsModule"], t);
  read_design(protocol["designModule"], t);
  read_arms(protocol["armsInterventionsModule"], t);
  read_outcomes(protocol["outcomesModule"], t);
  read_eligibility(protocol["eligibilityModule"], t);
  read_locations(protocol["contactsLocationsModule"], t);
  read_derived(study["derivedSection"], t);
  t.has_results =
      get<bool>(study["hasResults"]).value_or(false) || has_members(study["resultsSection"]);
  t.origin = origin;
  return t;
}

// ---- what the input is ----

std::string_view type_name(element value) {
  switch (value.type()) {
    case simdjson::dom::element_type::ARRAY:
      return "an array";
    case simdjson::dom::element_type::OBJECT:
      return "an object";
    case simdjson::dom::element_type::STRING:
      return "a string";
    case simdjson::dom::element_type::BOOL:
      return "a boolean";
    case simdjson::dom::element_type::NULL_VALUE:
      return "null";
    default:
      return "a number";
  }
}

// Why `value` cannot be read as a study, or empty when it can.
std::string study_problem(element value) {
  if (!value.is_object()) return fmt::format("not a study: {}", type_name(value));
  Node protocol = value["protocolSection"];
  if (!protocol.is_object()) return "not a study: no protocolSection (a record fragment?)";
  Node identification = protocol["identificationModule"];
  if (!identification.is_object())
    return "not a study: no identificationModule (a record fragment?)";
  std::string id = nct_id(identification);
  if (id.empty()) return "no NCT id";
  if (!is_nct_id(id)) return fmt::format("invalid NCT id \"{}\"", id);
  return {};
}

// `label` names the study inside an array or page ("study #3"), empty for a lone study.
void read_study(element value, const Origin& origin, std::string_view label, TrialSink& sink) {
  if (std::string problem = study_problem(value); !problem.empty()) {
    sink.skipped(origin, label.empty() ? problem : fmt::format("{}: {}", label, problem));
    return;
  }
  sink.trial(to_trial(value, origin));
}

// The PascalCase key that marks the retired classic v1 API JSON, or empty. An array is judged
// by its first element (an extracted FullStudies list).
std::string_view classic_v1_key(element root) {
  static constexpr std::array<std::string_view, 5> keys{
      "FullStudiesResponse", "StudyFieldsResponse", "FullStudy", "Study", "ProtocolSection"};
  simdjson::dom::array items;
  if (root.get_array().get(items) == simdjson::SUCCESS) {
    element first;
    return items.at(0).get(first) == simdjson::SUCCESS ? classic_v1_key(first) : std::string_view{};
  }
  for (auto key : keys)
    if (root[key].error() == simdjson::SUCCESS) return key;
  return {};
}

// Reads an array of studies: each element on its own, named by its 1-based position.
void read_studies(simdjson::dom::array studies, const Origin& origin, TrialSink& sink) {
  std::size_t n = 0;
  for (element study : studies) read_study(study, origin, fmt::format("study #{}", ++n), sink);
}

}  // namespace

void read_json(std::string_view content, const Origin& origin, TrialSink& sink) {
  // A UTF-8 byte order mark (Windows editors write one) is not part of the JSON.
  if (content.starts_with("\xef\xbb\xbf")) content.remove_prefix(3);
  Origin where = origin;
  where.format = kFormat;
  thread_local simdjson::dom::parser parser;
  simdjson::padded_string copy(content);
  element root;
  if (auto error = parser.parse(copy).get(root); error != simdjson::SUCCESS) {
    sink.skipped(where, fmt::format("malformed JSON: {}", simdjson::error_message(error)));
    return;
  }
  if (auto v1 = classic_v1_key(root); !v1.empty()) {
    sink.skipped(where, fmt::format("classic v1 JSON ({}): not supported; use API v2 JSON", v1));
    return;
  }
  simdjson::dom::array studies;
  if (root.get_array().get(studies) == simdjson::SUCCESS ||
      root["studies"].get_array().get(studies) == simdjson::SUCCESS) {
    read_studies(studies, where, sink);
    return;
  }
  read_study(root, where, {}, sink);
}

}  // namespace trialsearch
