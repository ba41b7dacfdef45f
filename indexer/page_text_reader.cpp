// Reads trial pages saved as text. The page is first cut into blocks at the section headings
// it recognises (page_text_split, with the table of page_text_headings); each block is then
// read here by a handler for its kind (pass 2), and unlabelled values are recognised by their
// shape (page_text_values).

#include <algorithm>
#include <array>
#include <cctype>
#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzers/strings.hpp"
#include "indexer/format_readers.hpp"
#include "indexer/normalize.hpp"
#include "indexer/page_text.hpp"

namespace trialsearch {
namespace {

using namespace page_text;

// Intervention types as pages spell them before a name: "Drug: IMC-002".
constexpr std::array<std::string_view, 13> kInterventionTypes{"Dietary Supplement",
                                                              "Combination Product",
                                                              "Diagnostic Test",
                                                              "Biological",
                                                              "Behavioral",
                                                              "Procedure",
                                                              "Radiation",
                                                              "Genetic",
                                                              "Device",
                                                              "Drug",
                                                              "Other",
                                                              "Biologic",
                                                              "Vaccine"};

// ---------------------------------------------------------------------------------------------
// Pass 2: blocks into the Trial.

struct Reader {
  Trial& trial;
  std::vector<std::string> other_names;  // listed apart from the interventions
  std::vector<std::string> bare_dates;   // unlabelled dates, in page order
  std::vector<std::string> bare_ages;
  std::vector<std::string> about_names;
  std::vector<std::string> criteria_lines;
  std::vector<std::string> related;
  std::vector<std::string> preamble_ids;
  std::vector<std::string> text_ids;  // NCT ids anywhere else, the last resort

  void set_once(std::string& slot, std::string value) {
    if (slot.empty()) slot = std::move(value);
  }

  void label(Field f, const std::string& v) {
    switch (f) {
      case Field::NctId: {
        auto ids = find_nct_ids(v);
        if (!ids.empty()) set_once(trial.nct_id, ids.front());
        break;
      }
      case Field::Title:
        set_once(trial.brief_title, collapse_whitespace(v));
        break;
      case Field::OfficialTitle:
        set_once(trial.official_title, collapse_whitespace(v));
        break;
      case Field::Status:
        set_once(trial.overall_status, status_of(v));
        break;
      case Field::Phase:
        if (trial.phases.empty()) trial.phases = normalize_phases(v);
        break;
      case Field::StudyType:
        set_once(trial.study_type, study_type_of(v));
        break;
      case Field::Enrollment:
        if (!trial.enrollment) trial.enrollment = parse_count(v);
        if (ascii_lower(v).find("estimated") != std::string::npos)
          trial.enrollment_type = "ESTIMATED";
        if (ascii_lower(v).find("actual") != std::string::npos) trial.enrollment_type = "ACTUAL";
        break;
      case Field::StartDate:
        set_once(trial.start_date, normalize_date(v));
        break;
      case Field::PrimaryCompletionDate:
        set_once(trial.primary_completion_date, normalize_date(v));
        break;
      case Field::CompletionDate:
        set_once(trial.completion_date, normalize_date(v));
        break;
      case Field::FirstPosted:
        set_once(trial.first_posted, normalize_date(v));
        break;
      case Field::LastUpdate:
        set_once(trial.last_update_posted, normalize_date(v));
        break;
      case Field::MinimumAge:
        if (trial.minimum_age.text.empty()) trial.minimum_age = parse_age(v);
        break;
      case Field::MaximumAge:
        if (trial.maximum_age.text.empty()) trial.maximum_age = parse_age(v);
        break;
      case Field::Sex:
        set_once(trial.sex, sex_of(v));
        break;
      case Field::HealthyVolunteers:
        if (!trial.healthy_volunteers) trial.healthy_volunteers = yes_no_of(v);
        break;
      case Field::LeadSponsor:
        set_once(trial.lead_sponsor.name, collapse_whitespace(v));
        break;
      case Field::OrgStudyId:
        set_once(trial.org_study_id, collapse_whitespace(v));
        break;
      case Field::LaunchedBy:
        launched_by(v);
        break;
      default:
        break;
    }
  }

  // "RENJI HOSPITAL · Oct 14, 2022": the sponsor, and the date the trial was first posted.
  void launched_by(std::string_view v) {
    std::string_view name = v, date;
    for (std::string_view sep : {"\xC2\xB7", " | ", " - "}) {
      if (auto pos = v.rfind(sep); pos != std::string_view::npos) {
        name = v.substr(0, pos);
        date = v.substr(pos + sep.size());
        break;
      }
    }
    set_once(trial.lead_sponsor.name, collapse_whitespace(name));
    set_once(trial.first_posted, normalize_date(date));
  }

  // A bare value recognised by its shape alone. False when the line is not one.
  bool fact(std::string_view v) {
    if (v.size() > 80) return false;
    if (auto s = status_of(v); !s.empty()) {
      set_once(trial.overall_status, std::move(s));
      return true;
    }
    if (auto p = phases_of(v); !p.empty()) {
      if (trial.phases.empty()) trial.phases = std::move(p);
      return true;
    }
    if (auto t = study_type_of(v); !t.empty() && t == normalize_enum(v)) {
      set_once(trial.study_type, std::move(t));
      return true;
    }
    if (ascii_lower(v).find("participants") != std::string::npos) {
      if (auto n = parse_count(v)) {
        if (!trial.enrollment) trial.enrollment = n;
        return true;
      }
    }
    if (auto d = normalize_date(v); !d.empty()) {
      bare_dates.push_back(std::move(d));
      return true;
    }
    return false;
  }

  // Trailing "16 Years" / "ALL" / "No" lines that close an unlabelled eligibility section.
  void eligibility_values(std::vector<Line>& lines) {
    while (!lines.empty()) {
      const std::string& v = lines.back().text;
      if (is_age(v)) {
        bare_ages.insert(bare_ages.begin(), v);
      } else if (auto sex = sex_of(v); !sex.empty()) {
        trial.sex = sex;
      } else if (auto yn = yes_no_of(v); yn && v.size() <= 3) {
        trial.healthy_volunteers = yn;
      } else {
        break;
      }
      lines.pop_back();
    }
  }

  void criteria(const Line& line) {
    std::string l = ascii_lower(line.text);
    bool subheading = l.starts_with("inclusion criteria") || l.starts_with("exclusion criteria");
    criteria_lines.push_back((line.bullet && !subheading ? "* " : "") + line.text);
  }

  void block(Block& b) {
    switch (b.kind) {
      case Field::Preamble:
        preamble(b);
        break;
      case Field::Facts:
        for (const auto& l : b.lines) fact(l.text);
        break;
      case Field::EligibilityFacts: {
        std::vector<Line> rest;
        for (auto& l : b.lines)
          if (!fact(l.text)) rest.push_back(std::move(l));
        eligibility_values(rest);
        for (const auto& l : rest) criteria(l);
        break;
      }
      case Field::About:
        about_names.emplace_back(trim(std::string_view(b.heading).substr(kAboutPrefix.size())));
        break;
      case Field::BriefSummary:
        append_text(trial.brief_summary, b.lines);
        break;
      case Field::DetailedDescription:
        append_text(trial.detailed_description, b.lines);
        break;
      case Field::Conditions:
        for (const auto& l : b.lines) add_unique(trial.conditions, collapse_whitespace(l.text));
        break;
      case Field::Keywords:
        for (const auto& l : b.lines) add_unique(trial.keywords, collapse_whitespace(l.text));
        break;
      case Field::OtherNames:
        for (const auto& l : b.lines) add_names(other_names, l.text);
        break;
      case Field::Eligibility:
        eligibility_values(b.lines);
        for (const auto& l : b.lines) criteria(l);
        break;
      case Field::Sponsors:
        sponsors(b.lines, false);
        break;
      case Field::Collaborators:
        sponsors(b.lines, true);
        break;
      case Field::Locations:
        locations(b.lines);
        break;
      case Field::OtherIds:
        other_ids(b.lines);
        break;
      case Field::Related:
        for (const auto& l : b.lines)
          for (auto& id : find_nct_ids(l.text)) add_unique(related, std::move(id));
        break;
      default:
        break;  // Interventions and ArmGroups are read after everything else
    }
    if (b.kind != Field::Related && b.kind != Field::Preamble)
      for (const auto& l : b.lines)
        for (auto& id : find_nct_ids(l.text)) add_unique(text_ids, std::move(id));
  }

  void preamble(const Block& b) {
    for (const auto& l : b.lines) {
      auto ids = find_nct_ids(l.text);
      for (auto& id : ids) add_unique(preamble_ids, std::move(id));
      if (!ids.empty() || !trial.brief_title.empty()) continue;
      std::string low = ascii_lower(l.text);
      bool logo = low.find("logo") != std::string::npos;
      bool crumbs = low.find(" / ") != std::string::npos || low.find(" > ") != std::string::npos;
      bool letters = std::any_of(l.text.begin(), l.text.end(), [](char c) {
        return std::isalpha(static_cast<unsigned char>(c));
      });
      if (!logo && !crumbs && letters && l.text.size() >= 5 && l.text.size() <= 500)
        trial.brief_title = collapse_whitespace(l.text);
    }
  }

  static void append_text(std::string& out, const std::vector<Line>& lines) {
    for (const auto& l : lines) {
      if (!out.empty()) out += "\n\n";
      out += l.text;
    }
  }

  static void add_names(std::vector<std::string>& out, std::string_view text) {
    while (!text.empty()) {
      auto sep = text.find_first_of(";,");
      add_unique(out, std::string(trim(text.substr(0, sep))));
      if (sep == std::string_view::npos) break;
      text.remove_prefix(sep + 1);
    }
  }

  // Name lines, each optionally followed by an agency class and a "Sponsor Role" line. With no
  // roles, the first is the lead sponsor.
  void sponsors(const std::vector<Line>& lines, bool all_collaborators) {
    struct Entry {
      Sponsor sponsor;
      std::string role;
    };
    std::vector<Entry> entries;
    for (const auto& l : lines) {
      std::string cls = normalize_enum(l.text);
      if (!entries.empty() && contains(kAgencyClasses, cls)) {
        entries.back().sponsor.agency_class = cls;
      } else if (auto role = after_label(l.text, "sponsor role")) {
        if (!entries.empty()) entries.back().role = ascii_lower(trim(*role));
      } else if (l.text.size() <= kMaxValueLength) {
        entries.push_back({Sponsor{collapse_whitespace(l.text), {}}, {}});
      }
    }
    bool roles =
        std::any_of(entries.begin(), entries.end(), [](const Entry& e) { return !e.role.empty(); });
    for (auto& e : entries) {
      bool lead = !all_collaborators &&
                  (roles ? e.role.starts_with("lead") : trial.lead_sponsor.name.empty());
      if (lead && trial.lead_sponsor.name.empty()) {
        trial.lead_sponsor = std::move(e.sponsor);
      } else if (lead && equal_ignoring_case(trial.lead_sponsor.name, e.sponsor.name)) {
        set_once(trial.lead_sponsor.agency_class, e.sponsor.agency_class);
      } else {
        trial.collaborators.push_back(std::move(e.sponsor));
      }
    }
  }

  // Facility, then "City, State, Country", then optionally "Site Status X".
  void locations(const std::vector<Line>& lines) {
    std::string facility;
    for (const auto& l : lines) {
      std::string_view t = l.text;
      bool status_label = false;
      for (std::string_view label : {"site status", "recruitment status", "status"}) {
        if (auto rest = after_label(t, label)) {
          status_label = true;
          t = without_separator(*rest);
          break;
        }
      }
      // A bare status word right after an address is that site's status.
      std::string status = status_label || facility.empty() ? status_of(t) : std::string{};
      if (!status.empty() || status_label) {
        if (!trial.sites.empty()) set_once(trial.sites.back().status, status);
        facility.clear();
        continue;
      }
      if (facility.empty()) {
        facility = collapse_whitespace(t);
        continue;
      }
      if (t.find(',') == std::string_view::npos) {
        facility = collapse_whitespace(t);  // the previous line had no address: not a site
        continue;
      }
      Site site;
      site.facility = std::move(facility);
      std::vector<std::string> parts;
      for (std::string_view rest = t;;) {
        auto comma = rest.find(',');
        parts.emplace_back(trim(rest.substr(0, comma)));
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
      }
      site.city = parts.front();
      site.country = parts.back();
      for (std::size_t i = 1; i + 1 < parts.size(); ++i) {
        if (parts[i].empty()) continue;
        if (!site.state.empty()) site.state += ", ";
        site.state += parts[i];
      }
      trial.sites.push_back(std::move(site));
      facility.clear();
    }
  }

  // An id line, then "Identifier Type: ..." and "Identifier Source: org_study_id|secondary_id".
  void other_ids(const std::vector<Line>& lines) {
    std::string id;
    auto flush = [&](bool org) {
      if (id.empty()) return;
      if (org && trial.org_study_id.empty())
        trial.org_study_id = id;
      else
        add_unique(trial.secondary_ids, id);
      id.clear();
    };
    for (const auto& l : lines) {
      if (starts_with_ignoring_case(l.text, "identifier type")) continue;
      if (starts_with_ignoring_case(l.text, "identifier source")) {
        flush(ascii_lower(l.text).find("org_study_id") != std::string::npos);
        continue;
      }
      flush(false);
      if (l.text.size() <= 100) id = collapse_whitespace(l.text);
    }
    flush(false);
  }

  // -- Interventions ---------------------------------------------------------------------------

  // "Drug: IMC-002 + SOCDrug: Placebo + SOC" -> (DRUG, IMC-002 + SOC), (DRUG, Placebo + SOC).
  static std::vector<Intervention> typed_interventions(std::string_view text) {
    struct Mark {
      std::size_t pos;
      std::string_view type;
    };
    std::vector<Mark> marks;
    for (auto type : kInterventionTypes) {
      for (std::size_t pos = text.find(type); pos != std::string_view::npos;
           pos = text.find(type, pos + 1)) {
        std::size_t end = pos + type.size();
        if (end >= text.size() || text[end] != ':') continue;
        bool inside = std::any_of(marks.begin(), marks.end(), [&](const Mark& m) {
          return pos >= m.pos && pos < m.pos + m.type.size() + 1;
        });
        if (!inside) marks.push_back({pos, type});
      }
    }
    std::sort(marks.begin(), marks.end(),
              [](const Mark& a, const Mark& b) { return a.pos < b.pos; });
    std::vector<Intervention> out;
    if (marks.empty() || marks.front().pos != 0) return out;
    for (std::size_t i = 0; i < marks.size(); ++i) {
      std::size_t start = marks[i].pos + marks[i].type.size() + 1;
      std::size_t end = i + 1 < marks.size() ? marks[i + 1].pos : text.size();
      Intervention iv;
      iv.type = normalize_enum(marks[i].type);
      if (iv.type == "BIOLOGIC" || iv.type == "VACCINE") iv.type = "BIOLOGICAL";
      iv.name = collapse_whitespace(text.substr(start, end - start));
      if (!iv.name.empty()) out.push_back(std::move(iv));
    }
    return out;
  }

  // Three layouts: typed lines ("Drug: X", description lines after); name, description,
  // "Intervention Type X"; or bare name and description pairs.
  void interventions(const std::vector<Line>& lines) {
    bool typed = false, marked = false;
    for (const auto& l : lines) {
      typed = typed || !typed_interventions(l.text).empty();
      marked = marked || starts_with_ignoring_case(l.text, "intervention type");
    }
    std::size_t first = trial.interventions.size();
    bool closed = true;
    for (const auto& l : lines) {
      auto& ivs = trial.interventions;
      if (auto type = after_label(l.text, "intervention type")) {
        if (ivs.size() > first && ivs.back().type.empty()) ivs.back().type = normalize_enum(*type);
        closed = true;
        continue;
      }
      if (starts_with_ignoring_case(l.text, "other names:") ||
          starts_with_ignoring_case(l.text, "other name:")) {
        if (ivs.size() > first)
          add_names(ivs.back().other_names, l.text.substr(l.text.find(':') + 1));
        continue;
      }
      if (auto parsed = typed_interventions(l.text); !parsed.empty()) {
        for (auto& iv : parsed) ivs.push_back(std::move(iv));
        closed = false;
        continue;
      }
      bool starts_new =
          ivs.size() == first || closed || (!typed && !marked && !ivs.back().description.empty());
      if (starts_new) {
        Intervention iv;
        iv.name = collapse_whitespace(l.text);
        ivs.push_back(std::move(iv));
        closed = false;
      } else {
        auto& d = ivs.back().description;
        if (!d.empty()) d += "\n";
        d += l.text;
      }
    }
  }

  Intervention* find_intervention(std::string_view name) {
    for (auto& iv : trial.interventions)
      if (equal_ignoring_case(iv.name, name)) return &iv;
    return nullptr;
  }

  // Arm label (the line before "Group Type X", or the first line), its description, then the
  // interventions it receives: lines followed by "Intervention Type X" or known names, each
  // followed by a description line the Interventions section already holds.
  void arm_groups(const std::vector<Line>& lines) {
    bool had_interventions = !trial.interventions.empty();
    ArmGroup* arm = nullptr;
    bool skip_description = false;
    std::string pending_type_for;
    for (std::size_t i = 0; i < lines.size(); ++i) {
      const std::string& t = lines[i].text;
      const std::string* next = i + 1 < lines.size() ? &lines[i + 1].text : nullptr;
      if (auto type = after_label(t, "group type")) {
        if (arm) arm->type = normalize_enum(*type);
        continue;
      }
      if (auto type_label = after_label(t, "intervention type")) {
        std::string type = normalize_enum(*type_label);
        if (Intervention* iv = find_intervention(pending_type_for)) {
          if (iv->type.empty()) iv->type = type;
        } else if (!had_interventions && !pending_type_for.empty()) {
          Intervention created;
          created.name = pending_type_for;
          created.type = type;
          trial.interventions.push_back(std::move(created));
        }
        skip_description = true;
        continue;
      }
      if (next && starts_with_ignoring_case(*next, "group type")) {
        arm = &trial.arm_groups.emplace_back();
        arm->label = collapse_whitespace(t);
        skip_description = false;
        continue;
      }
      bool reference =
          (next && starts_with_ignoring_case(*next, "intervention type")) || find_intervention(t);
      if (reference) {
        if (!arm) arm = &trial.arm_groups.emplace_back();
        arm->interventions.push_back(collapse_whitespace(t));
        pending_type_for = collapse_whitespace(t);
        skip_description = true;
        continue;
      }
      if (skip_description) {
        skip_description = false;
        continue;
      }
      if (!arm || !arm->interventions.empty()) {
        arm = &trial.arm_groups.emplace_back();
        arm->label = collapse_whitespace(t);
      } else if (arm->label.empty()) {
        arm->label = collapse_whitespace(t);
      } else {
        if (!arm->description.empty()) arm->description += "\n";
        arm->description += t;
      }
    }
  }

  // Other names listed apart go to the investigational product: the one intervention named in
  // the title or in an experimental arm's label; failing that, the first drug (then biological).
  void attribute_other_names() {
    auto& ivs = trial.interventions;
    std::vector<std::string> names;
    for (auto& n : other_names)
      if (!find_intervention(n)) names.push_back(n);
    if (names.empty() || ivs.empty()) return;
    std::string title = ascii_lower(trial.brief_title + "\n" + trial.official_title);
    bool typed_arms = std::any_of(trial.arm_groups.begin(), trial.arm_groups.end(),
                                  [](const ArmGroup& a) { return !a.type.empty(); });
    std::vector<std::size_t> in_title, in_arm;
    for (std::size_t i = 0; i < ivs.size(); ++i) {
      std::string name = ascii_lower(ivs[i].name);
      if (name.size() < 3) continue;
      if (has_phrase(title, name)) in_title.push_back(i);
      for (const auto& arm : trial.arm_groups) {
        if (typed_arms && arm.type != "EXPERIMENTAL") continue;
        if (has_phrase(ascii_lower(arm.label), name)) {
          in_arm.push_back(i);
          break;
        }
      }
    }
    std::vector<std::size_t> either = in_title;
    for (auto i : in_arm)
      if (std::find(either.begin(), either.end(), i) == either.end()) either.push_back(i);
    std::vector<std::size_t> both;
    for (auto i : in_title)
      if (std::find(in_arm.begin(), in_arm.end(), i) != in_arm.end()) both.push_back(i);

    std::optional<std::size_t> chosen;
    if (ivs.size() == 1)
      chosen = 0;
    else if (either.size() == 1)
      chosen = either.front();
    else if (both.size() == 1)
      chosen = both.front();
    for (std::string_view type : {"DRUG", "BIOLOGICAL"})
      for (std::size_t i = 0; i < ivs.size() && !chosen; ++i)
        if (ivs[i].type == type) chosen = i;
    Intervention& target = ivs[chosen.value_or(0)];
    for (auto& n : names) add_unique(target.other_names, n);
    target.other_names_inferred = true;
  }

  // "Systemic Lupus Erythematosus Idiopathic Inflammatory Myopathy" (several conditions run
  // together on one line): split into the fewest phrases that each occur in the page's own
  // text, when there is such a split; otherwise keep the line.
  void split_conditions() {
    std::string reference =
        ascii_lower(trial.brief_title + "\n" + trial.official_title + "\n" + trial.brief_summary +
                    "\n" + trial.detailed_description + "\n" + trial.eligibility_criteria);
    for (const auto& k : trial.keywords) reference += "\n" + ascii_lower(k);
    std::vector<std::string> out;
    for (const auto& condition : trial.conditions) {
      auto parts = split_condition(condition, reference);
      for (auto& p : parts) add_unique(out, std::move(p));
    }
    trial.conditions = std::move(out);
  }

  static std::vector<std::string> split_condition(const std::string& line,
                                                  const std::string& reference) {
    std::vector<std::string> words;
    for (std::string_view rest = line; !rest.empty();) {
      auto sp = rest.find(' ');
      if (sp != 0) words.emplace_back(rest.substr(0, sp));
      if (sp == std::string_view::npos) break;
      rest.remove_prefix(sp + 1);
    }
    constexpr std::size_t kMaxWords = 24;
    if (words.size() < 4 || words.size() > kMaxWords || has_phrase(reference, ascii_lower(line)))
      return {line};
    auto phrase = [&](std::size_t from, std::size_t to) {
      std::string p;
      for (std::size_t i = from; i < to; ++i) p += (i == from ? "" : " ") + words[i];
      return p;
    };
    // best[i]: fewest phrases covering words[0, i); from[i]: where the last one starts.
    const std::size_t n = words.size();
    std::vector<std::size_t> best(n + 1, n + 1), from(n + 1, 0);
    best[0] = 0;
    for (std::size_t end = 1; end <= n; ++end) {
      for (std::size_t start = 0; start < end; ++start) {
        if (best[start] > n || end - start < 2) continue;  // single words are too weak a match
        if (best[start] + 1 >= best[end]) continue;
        if (!std::isupper(static_cast<unsigned char>(words[start].front()))) continue;
        if (has_phrase(reference, ascii_lower(phrase(start, end)))) {
          best[end] = best[start] + 1;
          from[end] = start;
        }
      }
    }
    if (best[n] > n || best[n] < 2) return {line};
    std::vector<std::string> parts;
    for (std::size_t end = n; end > 0; end = from[end]) parts.push_back(phrase(from[end], end));
    std::reverse(parts.begin(), parts.end());
    return parts;
  }

  void finish() {
    if (trial.nct_id.empty() && !preamble_ids.empty()) trial.nct_id = preamble_ids.front();
    if (trial.nct_id.empty() && !text_ids.empty()) trial.nct_id = text_ids.front();
    for (auto& id : related)
      if (id != trial.nct_id) trial.related_nct_ids.push_back(id);

    if (bare_dates.size() == 3) {
      set_once(trial.start_date, bare_dates[0]);
      set_once(trial.primary_completion_date, bare_dates[1]);
      set_once(trial.completion_date, bare_dates[2]);
    } else if (!bare_dates.empty()) {
      set_once(trial.start_date, bare_dates.front());
      if (bare_dates.size() >= 2) set_once(trial.completion_date, bare_dates[1]);
    }
    if (!bare_ages.empty() && trial.minimum_age.text.empty())
      trial.minimum_age = parse_age(bare_ages[0]);
    if (bare_ages.size() >= 2 && trial.maximum_age.text.empty())
      trial.maximum_age = parse_age(bare_ages[1]);
    if (trial.minimum_age.days || trial.maximum_age.days)
      trial.std_ages = derive_std_ages(trial.minimum_age, trial.maximum_age);

    for (std::size_t i = 0; i < criteria_lines.size(); ++i)
      trial.eligibility_criteria += (i ? "\n" : "") + criteria_lines[i];

    // A sponsor shouted in capitals ("RENJI HOSPITAL") takes the page's own spelling.
    auto& lead = trial.lead_sponsor.name;
    bool shouted = !lead.empty() && std::none_of(lead.begin(), lead.end(), [](char c) {
      return std::islower(static_cast<unsigned char>(c));
    });
    for (const auto& about : about_names)
      if (shouted && equal_ignoring_case(about, lead)) lead = about;
  }
};

// Reads a page into `trial`; false when it had no heading or label at all (a note, a README).
bool read_page(std::string_view content, Trial& trial) {
  Page page = split_page(content);
  Reader reader{trial, {}, {}, {}, {}, {}, {}, {}, {}};
  for (const auto& v : page.values) reader.label(v.field, v.value);
  for (auto& b : page.blocks) reader.block(b);
  for (const auto& b : page.blocks)
    if (b.kind == Field::Interventions) reader.interventions(b.lines);
  for (const auto& b : page.blocks)
    if (b.kind == Field::ArmGroups) reader.arm_groups(b.lines);
  reader.finish();
  reader.attribute_other_names();
  reader.split_conditions();
  return !page.values.empty() || page.blocks.size() > 1;
}

}  // namespace

void read_page_text(std::string_view content, const Origin& origin, TrialSink& sink) {
  Origin where = origin;
  where.format = "page-text";
  Trial trial;
  bool structured = false;
  try {
    structured = read_page(content, trial);
  } catch (const std::exception& e) {
    sink.skipped(where, std::string("unreadable page text: ") + e.what());
    return;
  }
  if (trial.nct_id.empty()) {
    sink.skipped(where, "text without an NCT id: not a trial page");
    return;
  }
  if (!structured) {
    sink.skipped(where, "text without any trial-page heading or label: not a trial page");
    return;
  }
  trial.origin = std::move(where);
  sink.trial(std::move(trial));
}

}  // namespace trialsearch
