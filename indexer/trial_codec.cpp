#include "indexer/trial_codec.hpp"

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <simdjson.h>
#include <zstd.h>

#include "analyzers/errors.hpp"
#include "indexer/json_writer.hpp"

namespace trialsearch {

namespace {

// ---- writing ----

// Writes `key: [items...]` with write_item(w, item) for each item, nothing when empty.
template <class T, class F>
void write_list(JsonWriter& w, std::string_view key, const std::vector<T>& items, F write_item) {
  if (items.empty()) return;
  w.key(key).begin_array();
  for (const auto& item : items) write_item(w, item);
  w.end_array();
}

void write_intervention(JsonWriter& w, const Intervention& i) {
  w.begin_object()
      .field_if("type", i.type)
      .field_if("name", i.name)
      .field_if("description", i.description)
      .field_if("other_names", i.other_names);
  if (i.other_names_inferred) w.key("other_names_inferred").value(true);
  w.end_object();
}

void write_arm_group(JsonWriter& w, const ArmGroup& a) {
  w.begin_object()
      .field_if("label", a.label)
      .field_if("type", a.type)
      .field_if("description", a.description)
      .field_if("interventions", a.interventions)
      .end_object();
}

void write_sponsor(JsonWriter& w, const Sponsor& s) {
  w.begin_object().field_if("name", s.name).field_if("agency_class", s.agency_class).end_object();
}

void write_site(JsonWriter& w, const Site& s) {
  w.begin_object()
      .field_if("facility", s.facility)
      .field_if("city", s.city)
      .field_if("state", s.state)
      .field_if("zip", s.zip)
      .field_if("country", s.country)
      .field_if("status", s.status);
  if (s.latitude) w.key("latitude").value(*s.latitude);
  if (s.longitude) w.key("longitude").value(*s.longitude);
  w.end_object();
}

void write_outcome(JsonWriter& w, const Outcome& o) {
  w.begin_object()
      .field_if("measure", o.measure)
      .field_if("time_frame", o.time_frame)
      .field_if("description", o.description)
      .end_object();
}

void write_age(JsonWriter& w, std::string_view key, const AgeLimit& age) {
  if (age.text.empty() && !age.days) return;
  w.key(key).begin_object().field_if("text", age.text);
  if (age.days) w.key("days").value(*age.days);
  w.end_object();
}

void write_origin(JsonWriter& w, const Origin& o) {
  if (o.file.empty() && o.entry.empty() && o.line == 0 && o.format.empty()) return;
  w.key("origin").begin_object().field_if("file", o.file).field_if("entry", o.entry);
  if (o.line != 0) w.key("line").value(static_cast<std::uint64_t>(o.line));
  w.field_if("format", o.format).end_object();
}

// ---- reading: a missing value or a value of another type is absent ----

using simdjson::dom::element;
using Node = simdjson::simdjson_result<element>;

std::string text(Node node) {
  std::string_view s;
  if (node.get_string().get(s) != simdjson::SUCCESS) return {};
  return std::string(s);
}

template <class F>
void for_each(Node node, F f) {
  simdjson::dom::array items;
  if (node.get_array().get(items) != simdjson::SUCCESS) return;
  for (element item : items) f(Node(element(item)));  // a copied handle: moving one does nothing
}

std::vector<std::string> texts(Node node) {
  std::vector<std::string> out;
  for_each(node, [&](Node item) { out.push_back(text(item)); });
  return out;
}

// read_item(Node) for each element of an array.
template <class F>
auto list(Node node, F read_item) {
  std::vector<decltype(read_item(std::declval<Node>()))> out;
  for_each(node, [&](Node item) { out.push_back(read_item(item)); });
  return out;
}

template <class T>
std::optional<T> get(Node node) {
  T value{};
  if (node.get<T>().get(value) != simdjson::SUCCESS) return std::nullopt;
  return value;
}

Intervention read_intervention(Node e) {
  return {text(e["type"]), text(e["name"]), text(e["description"]), texts(e["other_names"]),
          get<bool>(e["other_names_inferred"]).value_or(false)};
}

ArmGroup read_arm_group(Node e) {
  return {text(e["label"]), text(e["type"]), text(e["description"]), texts(e["interventions"])};
}

Sponsor read_sponsor(Node e) { return {text(e["name"]), text(e["agency_class"])}; }

Site read_site(Node e) {
  return {text(e["facility"]),        text(e["city"]),
          text(e["state"]),           text(e["zip"]),
          text(e["country"]),         text(e["status"]),
          get<double>(e["latitude"]), get<double>(e["longitude"])};
}

Outcome read_outcome(Node e) {
  return {text(e["measure"]), text(e["time_frame"]), text(e["description"])};
}

AgeLimit read_age(Node e) {
  AgeLimit age{text(e["text"]), std::nullopt};
  if (auto days = get<std::int64_t>(e["days"])) age.days = static_cast<int>(*days);
  return age;
}

Origin read_origin(Node e) {
  return {text(e["file"]), text(e["entry"]),
          static_cast<std::size_t>(get<std::uint64_t>(e["line"]).value_or(0)), text(e["format"])};
}

// RecordParts::Hit: what a search hit shows.
void read_hit_parts(element j, Trial& t) {
  t.nct_id = text(j["nct_id"]);
  t.brief_title = text(j["brief_title"]);
  t.official_title = text(j["official_title"]);
  t.overall_status = text(j["overall_status"]);
  t.phases = texts(j["phases"]);
  t.study_type = text(j["study_type"]);
  t.conditions = texts(j["conditions"]);
  t.interventions = list(j["interventions"], read_intervention);
  t.brief_summary = text(j["brief_summary"]);
  t.detailed_description = text(j["detailed_description"]);
  t.eligibility_criteria = text(j["eligibility_criteria"]);
  t.lead_sponsor = read_sponsor(j["lead_sponsor"]);
  t.start_date = text(j["start_date"]);
  t.last_update_posted = text(j["last_update_posted"]);
  if (auto n = get<std::int64_t>(j["enrollment"])) t.enrollment = static_cast<long>(*n);
}

// Every field read_hit_parts leaves out.
void read_other_parts(element j, Trial& t) {
  t.org_study_id = text(j["org_study_id"]);
  t.secondary_ids = texts(j["secondary_ids"]);
  t.acronym = text(j["acronym"]);
  t.keywords = texts(j["keywords"]);
  t.condition_mesh = texts(j["condition_mesh"]);
  t.condition_mesh_ancestors = texts(j["condition_mesh_ancestors"]);
  t.intervention_mesh = texts(j["intervention_mesh"]);
  t.intervention_mesh_ancestors = texts(j["intervention_mesh_ancestors"]);
  t.condition_mesh_ids = texts(j["condition_mesh_ids"]);
  t.intervention_mesh_ids = texts(j["intervention_mesh_ids"]);
  t.arm_groups = list(j["arm_groups"], read_arm_group);
  t.minimum_age = read_age(j["minimum_age"]);
  t.maximum_age = read_age(j["maximum_age"]);
  t.sex = text(j["sex"]);
  t.healthy_volunteers = get<bool>(j["healthy_volunteers"]);
  t.std_ages = texts(j["std_ages"]);
  t.collaborators = list(j["collaborators"], read_sponsor);
  t.sites = list(j["sites"], read_site);
  t.primary_completion_date = text(j["primary_completion_date"]);
  t.completion_date = text(j["completion_date"]);
  t.first_posted = text(j["first_posted"]);
  t.enrollment_type = text(j["enrollment_type"]);
  t.primary_outcomes = list(j["primary_outcomes"], read_outcome);
  t.secondary_outcomes = list(j["secondary_outcomes"], read_outcome);
  t.related_nct_ids = texts(j["related_nct_ids"]);
  t.has_results = get<bool>(j["has_results"]).value_or(false);
  t.origin = read_origin(j["origin"]);
}

}  // namespace

std::string trial_to_json(const Trial& t) {
  std::size_t content_end = 0;
  return trial_to_json(t, content_end);
}

std::string trial_to_json(const Trial& t, std::size_t& content_end) {
  JsonWriter w;
  w.begin_object()
      .field_if("nct_id", t.nct_id)
      .field_if("org_study_id", t.org_study_id)
      .field_if("secondary_ids", t.secondary_ids)
      .field_if("brief_title", t.brief_title)
      .field_if("official_title", t.official_title)
      .field_if("acronym", t.acronym)
      .field_if("overall_status", t.overall_status)
      .field_if("phases", t.phases)
      .field_if("study_type", t.study_type)
      .field_if("conditions", t.conditions)
      .field_if("keywords", t.keywords)
      .field_if("condition_mesh", t.condition_mesh)
      .field_if("condition_mesh_ancestors", t.condition_mesh_ancestors)
      .field_if("intervention_mesh", t.intervention_mesh)
      .field_if("intervention_mesh_ancestors", t.intervention_mesh_ancestors)
      .field_if("condition_mesh_ids", t.condition_mesh_ids)
      .field_if("intervention_mesh_ids", t.intervention_mesh_ids);
  write_list(w, "interventions", t.interventions, write_intervention);
  write_list(w, "arm_groups", t.arm_groups, write_arm_group);
  w.field_if("brief_summary", t.brief_summary)
      .field_if("detailed_description", t.detailed_description)
      .field_if("eligibility_criteria", t.eligibility_criteria);
  write_age(w, "minimum_age", t.minimum_age);
  write_age(w, "maximum_age", t.maximum_age);
  w.field_if("sex", t.sex);
  if (t.healthy_volunteers) w.key("healthy_volunteers").value(*t.healthy_volunteers);
  w.field_if("std_ages", t.std_ages);
  if (!t.lead_sponsor.name.empty() || !t.lead_sponsor.agency_class.empty())
    write_sponsor(w.key("lead_sponsor"), t.lead_sponsor);
  write_list(w, "collaborators", t.collaborators, write_sponsor);
  write_list(w, "sites", t.sites, write_site);
  w.field_if("start_date", t.start_date)
      .field_if("primary_completion_date", t.primary_completion_date)
      .field_if("completion_date", t.completion_date)
      .field_if("first_posted", t.first_posted)
      .field_if("last_update_posted", t.last_update_posted);
  if (t.enrollment) w.key("enrollment").value(static_cast<std::int64_t>(*t.enrollment));
  w.field_if("enrollment_type", t.enrollment_type);
  write_list(w, "primary_outcomes", t.primary_outcomes, write_outcome);
  write_list(w, "secondary_outcomes", t.secondary_outcomes, write_outcome);
  w.field_if("related_nct_ids", t.related_nct_ids);
  if (t.has_results) w.key("has_results").value(true);
  content_end = w.str().size();  // the origin is written last: see content_hash()
  write_origin(w, t.origin);
  w.end_object();
  return w.take();
}

namespace {

// zstd level 3 (its default): records come out 4% larger than Xapian's deflate made them, in a
// third of the time, and read back four times faster.
constexpr int kRecordLevel = 3;
// No record comes near this; a larger declared size is corrupt data.
constexpr unsigned long long kMaxRecordBytes = 64ULL << 20;

Trial trial_from_padded(simdjson::padded_string& copy, RecordParts parts) {
  thread_local simdjson::dom::parser parser;
  element j;
  if (auto error = parser.parse(copy).get(j); error != simdjson::SUCCESS)
    throw CorruptRecordError(
        fmt::format("trial record: malformed JSON: {}", simdjson::error_message(error)));
  if (!j.is_object()) throw CorruptRecordError("trial record: not a JSON object");
  Trial t;
  read_hit_parts(j, t);
  if (parts == RecordParts::All) read_other_parts(j, t);
  return t;
}

}  // namespace

std::string record_data(std::string_view json) {
  struct Context {
    ZSTD_CCtx* cctx = ZSTD_createCCtx();
    Context() {
      ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, kRecordLevel);
      ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 1);  // corruption is caught on reading
    }
    ~Context() { ZSTD_freeCCtx(cctx); }
  };
  thread_local Context context;
  std::string out(ZSTD_compressBound(json.size()), '\0');
  std::size_t n = ZSTD_compress2(context.cctx, out.data(), out.size(), json.data(), json.size());
  if (ZSTD_isError(n))
    throw CorruptRecordError(fmt::format("trial record: zstd: {}", ZSTD_getErrorName(n)));
  out.resize(n);
  return out;
}

Trial trial_from_record(std::string_view data, RecordParts parts) {
  struct Context {
    ZSTD_DCtx* dctx = ZSTD_createDCtx();
    ~Context() { ZSTD_freeDCtx(dctx); }
  };
  thread_local Context context;
  unsigned long long size = ZSTD_getFrameContentSize(data.data(), data.size());
  if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN || size > kMaxRecordBytes)
    throw CorruptRecordError("trial record: corrupt compressed data");
  // Decompressed straight into simdjson's padded buffer: no copy.
  simdjson::padded_string json(static_cast<std::size_t>(size));
  std::size_t n =
      ZSTD_decompressDCtx(context.dctx, json.data(), json.size(), data.data(), data.size());
  if (ZSTD_isError(n) || n != size)
    throw CorruptRecordError("trial record: corrupt compressed data");
  return trial_from_padded(json, parts);
}

Trial trial_from_json(std::string_view json) {
  simdjson::padded_string copy(json);
  return trial_from_padded(copy, RecordParts::All);
}

}  // namespace trialsearch
