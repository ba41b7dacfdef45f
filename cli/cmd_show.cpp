// trialsearch show: one or more records, readable or as JSON.
#include <fmt/format.h>

#include <memory>

#include "analyzers/errors.hpp"
#include "analyzers/strings.hpp"
#include "cli/commands.hpp"
#include "cli/labels.hpp"
#include "cli/terminal.hpp"
#include "indexer/db_path.hpp"
#include "indexer/json_writer.hpp"
#include "indexer/normalize.hpp"
#include "indexer/trial_codec.hpp"
#include "query/record_lookup.hpp"
#include "query/trial_database.hpp"

namespace trialsearch::cli {
namespace {

struct ShowOptions {
  DbOptions db;
  std::vector<std::string> ids;
  bool json = false;
};

void line(std::string_view label, std::string_view value) {
  if (!value.empty()) fmt::print("{:<20}{}\n", label, printable(value));
}

std::string join(const std::vector<std::string>& v, std::string_view sep) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : std::string(sep)) + s;
  return out;
}

void print_trial(const Trial& t) {
  const bool color = use_color();
  fmt::print("{}  {}\n", paint(t.nct_id, "1", color), shown_title(t.brief_title, t.official_title));
  line("Official title", t.official_title);
  line("Acronym", t.acronym);
  if (!t.overall_status.empty()) line("Status", status_label(t.overall_status));
  if (!t.phases.empty()) line("Phase", phases_label(t.phases));
  if (!t.study_type.empty()) line("Study type", study_type_label(t.study_type));
  if (t.enrollment) line("Enrollment", fmt::format("{} {}", *t.enrollment, t.enrollment_type));
  line("Conditions", join(t.conditions, "; "));
  line("Keywords", join(t.keywords, "; "));
  for (const auto& i : t.interventions) {
    std::string text = i.type.empty() ? i.name : fmt::format("{}: {}", i.type, i.name);
    if (!i.other_names.empty())
      text += fmt::format(" (also: {}{})", join(i.other_names, ", "),
                          i.other_names_inferred ? "; inferred" : "");
    line("Intervention", text);
  }
  line("Sponsor", t.lead_sponsor.name);
  for (const auto& c : t.collaborators) line("Collaborator", c.name);
  line("Start", t.start_date);
  line("Primary completion", t.primary_completion_date);
  line("Completion", t.completion_date);
  line("First posted", t.first_posted);
  line("Last update", t.last_update_posted);
  std::string ages =
      t.minimum_age.text.empty() && t.maximum_age.text.empty()
          ? ""
          : fmt::format("{} to {}", t.minimum_age.text.empty() ? "any" : t.minimum_age.text,
                        t.maximum_age.text.empty() ? "any" : t.maximum_age.text);
  line("Ages", ages);
  line("Sex", t.sex);
  if (t.healthy_volunteers) line("Healthy volunteers", *t.healthy_volunteers ? "yes" : "no");
  line("Has results", t.has_results ? "yes" : "");
  // the record's own line breaks and bullets kept, each line wrapped to the terminal
  const std::size_t width = output_width();
  if (!t.brief_summary.empty())
    fmt::print("\nSummary\n{}", wrap_paragraphs(t.brief_summary, width, 2));
  if (!t.eligibility_criteria.empty())
    fmt::print("\nEligibility\n{}", wrap_paragraphs(t.eligibility_criteria, width, 2));
  for (const auto& o : t.primary_outcomes) line("Primary outcome", o.measure);
  if (!t.sites.empty()) fmt::print("\nSites ({})\n", t.sites.size());
  for (const auto& s : t.sites) {
    std::vector<std::string> place;
    for (const auto* p : {&s.facility, &s.city, &s.state, &s.country})
      if (!p->empty()) place.push_back(*p);
    fmt::print("  {}{}\n", printable(join(place, ", ")),
               s.status.empty() ? "" : "  [" + s.status + "]");
  }
  if (!t.related_nct_ids.empty())
    fmt::print("\nRelated trials: {}\n", join(t.related_nct_ids, " "));
  fmt::print("\nhttps://clinicaltrials.gov/study/{}\n", t.nct_id);
}

int run_show(const ShowOptions& o) {
  std::vector<Trial> found;
  std::vector<std::string> missing;
  with_database(resolve_db_path(o.db.db), [&](const Xapian::Database& db) {
    found.clear();
    missing.clear();
    for (const auto& id : o.ids) {
      if (auto t = find_trial(db, id))
        found.push_back(std::move(*t));
      else
        missing.push_back(id);
    }
    return 0;
  });
  if (o.json) {
    JsonWriter w;
    w.begin_array();
    for (const auto& t : found) w.raw(trial_to_json(t));
    w.end_array();
    fmt::print("{}\n", w.str());
  } else {
    for (std::size_t i = 0; i < found.size(); ++i) {
      if (i) fmt::print("\n----\n\n");
      print_trial(found[i]);
    }
  }
  for (const auto& m : missing)
    fmt::print(stderr, "trialsearch: no trial {} in the database\n", shown_input(m));
  return missing.empty() ? kExitOk : kExitRuntime;
}

}  // namespace

void setup_show(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<ShowOptions>();
  auto* sub = app.add_subcommand("show", "Show trial records by NCT id");
  add_db_option(*sub, o->db);
  sub->add_option("ids", o->ids, "NCT ids")->required();
  sub->add_flag("--json", o->json, "a JSON array of the records");
  sub->callback([o, &exit_code] { exit_code = run_show(*o); });
}

}  // namespace trialsearch::cli
