#include "query/db_stats.hpp"

#include <filesystem>

#include "analyzers/db_metadata.hpp"
#include "analyzers/fields.hpp"
#include "indexer/api_fetch.hpp"
#include "indexer/generations.hpp"
#include "indexer/json_writer.hpp"
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

std::string stats_to_json(const DbStats& s) {
  JsonWriter w;
  w.begin_object();
  w.key("documents").value(s.documents);
  w.key("schema").value(s.schema);
  w.key("built").value(s.built);
  w.key("data_timestamp").value(s.data_timestamp);
  w.key("reconciled").value(s.reconciled);
  w.key("sources").raw(s.sources_json.empty() ? "[]" : s.sources_json);
  w.key("by_status").begin_object();
  for (const auto& [k, v] : s.by_status) w.key(k).value(v);
  w.end_object();
  w.key("by_phase").begin_object();
  for (const auto& [k, v] : s.by_phase) w.key(k).value(v);
  w.end_object();
  w.key("synonym_keys").value(s.synonym_keys);
  w.key("alias_links").value(s.alias_links);
  w.key("lexicons").begin_array();
  for (const auto& l : s.lexicons)
    w.begin_object()
        .key("name")
        .value(l.name)
        .key("file")
        .value(l.file)
        .key("format")
        .value(l.format)
        .key("entries")
        .value(l.entries)
        .key("skipped_lines")
        .value(l.skipped_lines)
        .key("imported")
        .value(l.imported)
        .end_object();
  w.end_array();
  w.key("size_bytes").value(s.size_bytes);
  w.key("total_size_bytes").value(s.total_size_bytes);
  w.key("generation").value(s.generation);
  w.key("generations").begin_array();
  for (const auto& g : s.generations) w.value(g);
  w.end_array();
  w.key("shards").begin_array();
  for (const auto& sh : s.shards)
    w.begin_object()
        .key("database")
        .value(sh.label)
        .key("role")
        .value(sh.role)
        .key("up")
        .value(sh.up)
        .key("documents")
        .value(sh.documents)
        .key("error")
        .value(sh.error)
        .end_object();
  w.end_array();
  w.key("last_run").raw(s.last_run_json.empty() ? "null" : s.last_run_json);
  w.end_object();
  return w.take();
}

}  // namespace trialsearch
