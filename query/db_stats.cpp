#include "query/db_stats.hpp"

#include <filesystem>

#include "analyzers/db_metadata.hpp"
#include "analyzers/fields.hpp"
#include "indexer/api_fetch.hpp"
#include "indexer/generations.hpp"
#include "indexer/json_fields.hpp"
#include "indexer/synonym_table.hpp"

namespace trialsearch {
namespace {

std::map<std::string, std::uint64_t> counts_by_prefix(const Xapian::Database& db,
                                                      std::string_view prefix) {
  std::map<std::string, std::uint64_t> out;
  std::string p(prefix);
  for (auto t = db.allterms_begin(p); t != db.allterms_end(p); ++t) {
    std::string value = (*t).substr(p.size());
    if (!value.empty() && value.front() == ':') value.erase(0, 1);
    out[value] = t.get_termfreq();
  }
  return out;
}

}  // namespace

std::uint64_t disk_size(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::is_regular_file(path, ec)) return fs::file_size(path, ec);
  std::uint64_t total = 0;
  for (auto it = fs::recursive_directory_iterator(path, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
    if (it->is_regular_file(ec)) total += it->file_size(ec);
  return total;
}

DbStats database_stats(const Xapian::Database& db, const std::string& path) {
  DbStats s;
  s.documents = db.get_doccount();
  s.schema = db.get_metadata(std::string(kMetaSchema));
  s.built = db.get_metadata(std::string(kMetaBuilt));
  s.sources_json = db.get_metadata(std::string(kMetaSources));
  s.last_run_json = db.get_metadata(std::string(kMetaLastRun));
  s.data_timestamp = db.get_metadata(std::string(kMetaDataTimestamp));
  s.reconciled = db.get_metadata(std::string(kMetaReconciled));
  s.by_status = counts_by_prefix(db, field("status").prefix);
  s.by_phase = counts_by_prefix(db, field("phase").prefix);
  s.synonym_keys = alias_list_count(db);
  s.alias_links = load_alias_graph(db).link_count();
  s.lexicons = stored_lexicons(db);
  if (auto stub = stub_file_of(path)) {
    const auto entries = read_stub(*stub);
    if (entries.size() == 1 && !entries.front().remote()) s.generation = entries.front().label();
  }
  s.shards = shard_statuses(path);
  s.generations = generations(path);
  s.size_bytes = disk_size(
      s.generation.empty() ? path : (std::filesystem::path(path) / s.generation).string());
  s.total_size_bytes = disk_size(path);
  return s;
}

template <>
struct JsonSchema<StoredLexicon> {
  static constexpr auto empty = JsonEmpty::Write;
  static constexpr auto fields =
      std::tuple{json_field("name", &StoredLexicon::name),
                 json_field("file", &StoredLexicon::file),
                 json_field("format", &StoredLexicon::format),
                 json_field("entries", &StoredLexicon::entries),
                 json_field("skipped_lines", &StoredLexicon::skipped_lines),
                 json_field("imported", &StoredLexicon::imported)};
};

template <>
struct JsonSchema<ShardStatus> {
  static constexpr auto empty = JsonEmpty::Write;
  static constexpr auto fields = std::tuple{
      json_field("database", &ShardStatus::label), json_field("role", &ShardStatus::role),
      json_field("up", &ShardStatus::up), json_field("documents", &ShardStatus::documents),
      json_field("error", &ShardStatus::error)};
};

std::string stats_to_json(const DbStats& s) {
  JsonWriter w;
  w.begin_object();
  w.key("documents").value(s.documents);
  w.key("schema").value(s.schema);
  w.key("built").value(s.built);
  w.key("data_timestamp").value(s.data_timestamp);
  w.key("reconciled").value(s.reconciled);
  w.key("sources").raw(s.sources_json.empty() ? "[]" : s.sources_json);
  write_json(w.key("by_status"), s.by_status);
  write_json(w.key("by_phase"), s.by_phase);
  w.key("synonym_keys").value(s.synonym_keys);
  w.key("alias_links").value(s.alias_links);
  write_json(w.key("lexicons"), s.lexicons);
  w.key("size_bytes").value(s.size_bytes);
  w.key("total_size_bytes").value(s.total_size_bytes);
  w.key("generation").value(s.generation);
  write_json(w.key("generations"), s.generations);
  write_json(w.key("shards"), s.shards);
  w.key("last_run").raw(s.last_run_json.empty() ? "null" : s.last_run_json);
  w.end_object();
  return w.take();
}

}  // namespace trialsearch
