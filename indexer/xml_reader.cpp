// Legacy ClinicalTrials.gov XML (<clinical_study>) -> Trial. A missing element reads as empty,
// so no input can make the reader throw; non-study XML is named and refused.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <pugixml.hpp>

#include "analyzers/strings.hpp"
#include "indexer/format_readers.hpp"
#include "indexer/normalize.hpp"

namespace trialsearch {

namespace {

using pugi::xml_node;

constexpr std::string_view kFormat = "ctgov-xml";

// ---- element text ----

// A one-line value: white space collapsed.
std::string text(xml_node node) { return collapse_whitespace(node.text().get()); }

// The text of each `name` child of `parent`, empty ones left out.
std::vector<std::string> texts(xml_node parent, const char* name) {
  std::vector<std::string> out;
  for (xml_node child : parent.children(name))
    if (auto s = text(child); !s.empty()) out.push_back(std::move(s));
  return out;
}

std::size_t indentation(std::string_view line) {
  std::size_t n = 0;
  while (n < line.size() && (line[n] == ' ' || line[n] == '\t')) ++n;
  return n;
}

// Free text that may span lines, without the fixed indentation the registry adds to every line:
// the common leading white space is removed, relative indentation (list items) kept, trailing
// space (and the &#xD; of CRLF text) dropped and runs of blank lines reduced to one, so
// paragraphs and lines stay as written.
std::string block(xml_node node) {
  std::string_view raw = node.text().get();
  std::vector<std::string_view> lines;
  while (!raw.empty()) {
    auto nl = raw.find('\n');
    std::string_view line = raw.substr(0, nl);
    while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back())))
      line.remove_suffix(1);
    lines.push_back(line);
    raw = nl == std::string_view::npos ? std::string_view{} : raw.substr(nl + 1);
  }
  // Text right after the opening tag has lost its indentation: it does not set the common one.
  std::size_t common = std::string_view::npos;
  for (std::size_t i = 0; i < lines.size(); ++i)
    if (!lines[i].empty() && !(i == 0 && indentation(lines[i]) == 0))
      common = std::min(common, indentation(lines[i]));
  std::string out;
  bool blank = false;
  for (std::string_view line : lines) {
    if (line.empty()) {
      blank = !out.empty();
      continue;
    }
    line.remove_prefix(std::min(common, indentation(line)));
    if (!out.empty()) out += blank ? "\n\n" : "\n";
    out += line;
    blank = false;
  }
  return out;
}

std::string textblock(xml_node parent) { return block(parent.child("textblock")); }

std::optional<long> integer(std::string_view s) {
  s = trim(s);
  long n = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return n;
}

// ---- value spellings: legacy display text -> API v2 enums ----

std::string study_type(std::string_view legacy) {
  std::string type = normalize_enum(legacy);
  if (type.starts_with("OBSERVATIONAL"))
    return "OBSERVATIONAL";  // "Observational [Patient Registry]"
  if (type == "N_A") return {};
  return type;
}

std::string agency_class(std::string_view legacy) {
  std::string cls = normalize_enum(legacy);
  if (cls == "U_S_FED") return "FED";
  return cls;
}

std::string enrollment_type(std::string_view legacy) {
  std::string type = normalize_enum(legacy);
  if (type == "ANTICIPATED" || type == "ESTIMATE") return "ESTIMATED";
  return type;
}

std::optional<bool> healthy_volunteers(std::string_view legacy) {
  std::string value = normalize_enum(legacy);
  if (value == "ACCEPTS_HEALTHY_VOLUNTEERS" || value == "YES") return true;
  if (value == "NO") return false;
  return std::nullopt;
}

// ---- sections of <clinical_study> ----

void read_ids(xml_node study, Trial& t) {
  xml_node ids = study.child("id_info");
  t.nct_id = text(ids.child("nct_id"));
  std::transform(t.nct_id.begin(), t.nct_id.end(), t.nct_id.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  t.org_study_id = text(ids.child("org_study_id"));
  t.secondary_ids = texts(ids, "secondary_id");
  t.brief_title = text(study.child("brief_title"));
  t.official_title = text(study.child("official_title"));
  t.acronym = text(study.child("acronym"));
}

std::string date(xml_node node) { return normalize_date(text(node)); }

void read_status(xml_node study, Trial& t) {
  t.overall_status = normalize_status(text(study.child("overall_status")));
  t.start_date = date(study.child("start_date"));
  t.primary_completion_date = date(study.child("primary_completion_date"));
  t.completion_date = date(study.child("completion_date"));
  // Files from before 2017 name the first and last dates differently.
  t.first_posted = date(study.child("study_first_posted"));
  if (t.first_posted.empty()) t.first_posted = date(study.child("firstreceived_date"));
  t.last_update_posted = date(study.child("last_update_posted"));
  if (t.last_update_posted.empty()) t.last_update_posted = date(study.child("lastchanged_date"));
}

void read_design(xml_node study, Trial& t) {
  t.phases = normalize_phases(text(study.child("phase")));
  t.study_type = study_type(text(study.child("study_type")));
  xml_node enrollment = study.child("enrollment");
  t.enrollment = integer(enrollment.text().get());
  t.enrollment_type = enrollment_type(enrollment.attribute("type").value());
}

Sponsor sponsor(xml_node node) {
  return {text(node.child("agency")), agency_class(text(node.child("agency_class")))};
}

void read_sponsors(xml_node study, Trial& t) {
  xml_node sponsors = study.child("sponsors");
  t.lead_sponsor = sponsor(sponsors.child("lead_sponsor"));
  for (xml_node c : sponsors.children("collaborator")) t.collaborators.push_back(sponsor(c));
}

void read_conditions(xml_node study, Trial& t) {
  t.conditions = texts(study, "condition");
  t.keywords = texts(study, "keyword");
  t.condition_mesh = texts(study.child("condition_browse"), "mesh_term");
  t.intervention_mesh = texts(study.child("intervention_browse"), "mesh_term");
}

// Arm groups, then interventions; each arm lists the interventions that name it, spelt as
// API v2 does ("Drug: Aspirin").
void read_arms(xml_node study, Trial& t) {
  for (xml_node a : study.children("arm_group"))
    t.arm_groups.push_back({text(a.child("arm_group_label")),
                            normalize_enum(text(a.child("arm_group_type"))),
                            block(a.child("description")),
                            {}});
  for (xml_node i : study.children("intervention")) {
    std::string type = text(i.child("intervention_type"));
    Intervention intervention{normalize_enum(type), text(i.child("intervention_name")),
                              block(i.child("description")), texts(i, "other_name"), false};
    std::string arm_entry =
        type.empty() ? intervention.name : fmt::format("{}: {}", type, intervention.name);
    for (const auto& label : texts(i, "arm_group_label"))
      for (auto& arm : t.arm_groups)
        if (arm.label == label) arm.interventions.push_back(arm_entry);
    t.interventions.push_back(std::move(intervention));
  }
}

std::vector<Outcome> outcomes(xml_node study, const char* name) {
  std::vector<Outcome> out;
  for (xml_node o : study.children(name))
    out.push_back(
        {text(o.child("measure")), text(o.child("time_frame")), block(o.child("description"))});
  return out;
}

void read_eligibility(xml_node study, Trial& t) {
  xml_node e = study.child("eligibility");
  t.eligibility_criteria = textblock(e.child("criteria"));
  t.sex = normalize_sex(text(e.child("gender")));
  t.minimum_age = parse_age(text(e.child("minimum_age")));
  t.maximum_age = parse_age(text(e.child("maximum_age")));
  t.healthy_volunteers = healthy_volunteers(text(e.child("healthy_volunteers")));
  t.std_ages = derive_std_ages(t.minimum_age, t.maximum_age);
}

void read_locations(xml_node study, Trial& t) {
  for (xml_node l : study.children("location")) {
    xml_node facility = l.child("facility");
    xml_node address = facility.child("address");
    Site site;
    site.facility = text(facility.child("name"));
    site.city = text(address.child("city"));
    site.state = text(address.child("state"));
    site.zip = text(address.child("zip"));
    site.country = text(address.child("country"));
    site.status = normalize_status(text(l.child("status")));
    t.sites.push_back(std::move(site));
  }
}

Trial to_trial(xml_node study, const Origin& origin) {
  Trial t;
  read_ids(study, t);
  read_status(study, t);
  read_design(study, t);
  read_sponsors(study, t);
  read_conditions(study, t);
  read_arms(study, t);
  t.brief_summary = textblock(study.child("brief_summary"));
  t.detailed_description = textblock(study.child("detailed_description"));
  read_eligibility(study, t);
  read_locations(study, t);
  t.primary_outcomes = outcomes(study, "primary_outcome");
  t.secondary_outcomes = outcomes(study, "secondary_outcome");
  t.has_results = bool(study.child("clinical_results"));
  t.origin = origin;
  return t;
}

// ---- what the input is ----

// An HTML page the parser stopped on before its first element (a lower-case doctype, say).
bool starts_like_html(std::string_view content) {
  std::string head = ascii_lower(content.substr(0, 1024));
  return head.find("<!doctype html") != std::string::npos ||
         head.find("<html") != std::string::npos;
}

// What a document with root element `root` is when it is known not to be a study, or empty.
std::string known_non_study(std::string_view root, std::string_view content) {
  std::string name = ascii_lower(root);
  if (name == "rss") return "RSS feed: not a clinical_study record";
  if (name == "search_results") return "search results: not a clinical_study record";
  if (name == "html" || (name.empty() && starts_like_html(content)))
    return "HTML page: not a clinical_study record";
  return {};
}

}  // namespace

void read_xml(std::string_view content, const Origin& origin, TrialSink& sink) {
  Origin where = origin;
  where.format = kFormat;
  pugi::xml_document doc;
  pugi::xml_parse_result parsed = doc.load_buffer(content.data(), content.size());
  // A failed parse keeps the part read so far, enough to name what a broken page was.
  std::string_view root = doc.document_element().name();
  if (auto what = known_non_study(root, content); !what.empty()) {
    sink.skipped(where, what);
    return;
  }
  if (!parsed) {
    sink.skipped(where,
                 fmt::format("malformed XML: {} at byte {}", parsed.description(), parsed.offset));
    return;
  }
  if (root != "clinical_study") {
    sink.skipped(where, fmt::format("XML document <{}>: not a clinical_study record", root));
    return;
  }
  Trial trial = to_trial(doc.document_element(), where);
  if (trial.nct_id.empty()) {
    sink.skipped(where, "no NCT id");
    return;
  }
  if (!is_nct_id(trial.nct_id)) {
    sink.skipped(where, fmt::format("invalid NCT id \"{}\"", trial.nct_id));
    return;
  }
  sink.trial(std::move(trial));
}

}  // namespace trialsearch
