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
#include "indexer/json_fields.hpp"
#include "indexer/json_writer.hpp"

namespace trialsearch {

// Each part of a trial's record described once (json_fields.hpp). The order is the record's
// key order, which content_hash() depends on: append, never reorder.
template <>
struct JsonSchema<Intervention> {
  static constexpr auto empty = JsonEmpty::Omit;
  static constexpr auto fields =
      std::tuple{json_field("type", &Intervention::type), json_field("name", &Intervention::name),
                 json_field("description", &Intervention::description),
                 json_field("other_names", &Intervention::other_names),
                 json_field("other_names_inferred", &Intervention::other_names_inferred)};
};

template <>
struct JsonSchema<ArmGroup> {
  static constexpr auto empty = JsonEmpty::Omit;
  static constexpr auto fields =
      std::tuple{json_field("label", &ArmGroup::label), json_field("type", &ArmGroup::type),
                 json_field("description", &ArmGroup::description),
                 json_field("interventions", &ArmGroup::interventions)};
};

template <>
struct JsonSchema<Sponsor> {
  static constexpr auto empty = JsonEmpty::Omit;
  static constexpr auto fields = std::tuple{json_field("name", &Sponsor::name),
                                            json_field("agency_class", &Sponsor::agency_class)};
};

template <>
struct JsonSchema<Site> {
  static constexpr auto empty = JsonEmpty::Omit;
  static constexpr auto fields = std::tuple{
      json_field("facility", &Site::facility), json_field("city", &Site::city),
      json_field("state", &Site::state),       json_field("zip", &Site::zip),
      json_field("country", &Site::country),   json_field("status", &Site::status),
      json_field("latitude", &Site::latitude), json_field("longitude", &Site::longitude)};
};

template <>
struct JsonSchema<Outcome> {
  static constexpr auto empty = JsonEmpty::Omit;
  static constexpr auto fields = std::tuple{json_field("measure", &Outcome::measure),
                                            json_field("time_frame", &Outcome::time_frame),
                                            json_field("description", &Outcome::description)};
};

template <>
struct JsonSchema<AgeLimit> {
  static constexpr auto empty = JsonEmpty::Omit;
  static constexpr auto fields =
      std::tuple{json_field("text", &AgeLimit::text), json_field("days", &AgeLimit::days)};
};

template <>
struct JsonSchema<Origin> {
  static constexpr auto empty = JsonEmpty::Omit;
  static constexpr auto fields =
      std::tuple{json_field("file", &Origin::file), json_field("entry", &Origin::entry),
                 json_field("line", &Origin::line), json_field("format", &Origin::format)};
};

// The trial's content; its origin (where it was read) is written after it, outside the content
// hash. `false`: not read for a search hit (RecordParts::Hit).
template <>
struct JsonSchema<Trial> {
  static constexpr auto empty = JsonEmpty::Omit;
  static constexpr auto fields = std::tuple{
      json_field("nct_id", &Trial::nct_id),
      json_field("org_study_id", &Trial::org_study_id, false),
      json_field("secondary_ids", &Trial::secondary_ids, false),
      json_field("brief_title", &Trial::brief_title),
      json_field("official_title", &Trial::official_title),
      json_field("acronym", &Trial::acronym, false),
      json_field("overall_status", &Trial::overall_status),
      json_field("phases", &Trial::phases),
      json_field("study_type", &Trial::study_type),
      json_field("conditions", &Trial::conditions),
      json_field("keywords", &Trial::keywords, false),
      json_field("condition_mesh", &Trial::condition_mesh, false),
      json_field("condition_mesh_ancestors", &Trial::condition_mesh_ancestors, false),
      json_field("intervention_mesh", &Trial::intervention_mesh, false),
      json_field("intervention_mesh_ancestors", &Trial::intervention_mesh_ancestors, false),
      json_field("condition_mesh_ids", &Trial::condition_mesh_ids, false),
      json_field("intervention_mesh_ids", &Trial::intervention_mesh_ids, false),
      json_field("interventions", &Trial::interventions),
      json_field("arm_groups", &Trial::arm_groups, false),
      json_field("brief_summary", &Trial::brief_summary),
      json_field("detailed_description", &Trial::detailed_description),
      json_field("eligibility_criteria", &Trial::eligibility_criteria),
      json_field("minimum_age", &Trial::minimum_age, false),
      json_field("maximum_age", &Trial::maximum_age, false),
      json_field("sex", &Trial::sex, false),
      json_field("healthy_volunteers", &Trial::healthy_volunteers, false),
      json_field("std_ages", &Trial::std_ages, false),
      json_field("lead_sponsor", &Trial::lead_sponsor),
      json_field("collaborators", &Trial::collaborators, false),
      json_field("sites", &Trial::sites, false),
      json_field("start_date", &Trial::start_date),
      json_field("primary_completion_date", &Trial::primary_completion_date, false),
      json_field("completion_date", &Trial::completion_date, false),
      json_field("first_posted", &Trial::first_posted, false),
      json_field("last_update_posted", &Trial::last_update_posted),
      json_field("enrollment", &Trial::enrollment),
      json_field("enrollment_type", &Trial::enrollment_type, false),
      json_field("primary_outcomes", &Trial::primary_outcomes, false),
      json_field("secondary_outcomes", &Trial::secondary_outcomes, false),
      json_field("related_nct_ids", &Trial::related_nct_ids, false),
      json_field("has_results", &Trial::has_results, false)};
};

constexpr std::string_view kOriginKey = "origin";

std::string trial_to_json(const Trial& t) {
  std::size_t content_end = 0;
  return trial_to_json(t, content_end);
}

std::string trial_to_json(const Trial& t, std::size_t& content_end) {
  JsonWriter w;
  w.begin_object();
  write_json_members(w, t);
  content_end = w.str().size();  // the origin is written last: see content_hash()
  if (!json_empty(t.origin)) write_json(w.key(kOriginKey), t.origin);
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
  using simdjson::dom::element;
  thread_local simdjson::dom::parser parser;
  element j;
  if (auto error = parser.parse(copy).get(j); error != simdjson::SUCCESS)
    throw CorruptRecordError(
        fmt::format("trial record: malformed JSON: {}", simdjson::error_message(error)));
  if (!j.is_object()) throw CorruptRecordError("trial record: not a JSON object");
  Trial t;
  read_json(j, t, parts == RecordParts::Hit);
  if (parts == RecordParts::All) {
    element origin;
    if (j[kOriginKey].get(origin) == simdjson::SUCCESS) read_json(origin, t.origin);
  }
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
