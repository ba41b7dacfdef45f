#include "query/hit_json.hpp"

#include <cstdint>

#include "analyzers/strings.hpp"

namespace trialsearch {

namespace {

void printable_list(JsonWriter& w, const std::vector<std::string>& items) {
  w.begin_array();
  for (const auto& s : items) w.value(printable(s));
  w.end_array();
}

}  // namespace

void begin_hit_json(JsonWriter& w, std::size_t rank, double score, std::optional<int> percent,
                    const Trial& t) {
  w.begin_object();
  w.key("rank").value(static_cast<std::uint64_t>(rank));
  w.key("nct_id").value(t.nct_id);
  w.key("score").value(score);
  if (percent) w.key("percent").value(*percent);
  w.key("title").value(printable(t.brief_title));
  w.key("status").value(t.overall_status);
  w.key("phases").begin_array();
  for (const auto& p : t.phases) w.value(p);
  w.end_array();
  w.key("study_type").value(t.study_type);
  printable_list(w.key("conditions"), t.conditions);
  if (!t.condition_mesh.empty()) printable_list(w.key("condition_mesh"), t.condition_mesh);
  w.key("interventions").begin_array();
  for (const auto& i : t.interventions) {
    w.begin_object().key("name").value(printable(i.name));
    printable_list(w.key("other_names"), i.other_names);
    w.end_object();
  }
  w.end_array();
  w.key("sponsor").value(printable(t.lead_sponsor.name));
  w.field_if("start_date", t.start_date);
  w.field_if("last_update", t.last_update_posted);
  if (t.enrollment) w.key("enrollment").value(static_cast<std::int64_t>(*t.enrollment));
}

}  // namespace trialsearch
