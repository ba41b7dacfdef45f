#include "indexer/change_log.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>
#include <simdjson.h>

#include "analyzers/errors.hpp"
#include "indexer/json_writer.hpp"

namespace trialsearch {
namespace {

void write_ids(JsonWriter& w, std::string_view key, const std::vector<std::string>& ids) {
  w.key(key).begin_array();
  for (const auto& id : ids) w.value(id);
  w.end_array();
}

std::string string_at(simdjson::dom::element e, std::string_view key) {
  std::string_view s;
  if (e[key].get_string().get(s) != simdjson::SUCCESS) return {};
  return std::string(s);
}

std::uint64_t count_at(simdjson::dom::element e, std::string_view key) {
  std::uint64_t n = 0;
  if (e[key].get_uint64().get(n) != simdjson::SUCCESS) return 0;
  return n;
}

std::vector<std::string> ids_at(simdjson::dom::element e, std::string_view key) {
  std::vector<std::string> ids;
  simdjson::dom::array items;
  if (e[key].get_array().get(items) != simdjson::SUCCESS) return ids;
  for (auto item : items) {
    std::string_view s;
    if (item.get_string().get(s) == simdjson::SUCCESS) ids.emplace_back(s);
  }
  return ids;
}

}  // namespace

std::string change_log_path(const std::string& db) {
  return std::filesystem::path(db) / "changes.jsonl";
}

std::string change_to_json(const ChangeEntry& c) {
  JsonWriter w;
  w.begin_object();
  w.key("time").value(c.time);
  w.key("mode").value(c.mode);
  w.key("generation").value(c.generation);
  w.key("documents").value(c.documents);
  w.key("added_count").value(c.added_count);
  w.key("removed_count").value(c.removed_count);
  w.key("replaced_count").value(c.replaced_count);
  write_ids(w, "added", c.added);
  write_ids(w, "removed", c.removed);
  w.key("status_changes").begin_array();
  for (const auto& s : c.status_changes)
    w.begin_object()
        .key("id")
        .value(s.id)
        .key("from")
        .value(s.from)
        .key("to")
        .value(s.to)
        .end_object();
  w.end_array();
  w.end_object();
  return w.take();
}

void append_change(const std::string& db, const ChangeEntry& entry) {
  std::string path = change_log_path(db);
  std::string line = change_to_json(entry) + "\n";
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0)
    throw RuntimeError(fmt::format("cannot write change log {}: {}", path, std::strerror(errno)));
  ssize_t n = ::write(fd, line.data(), line.size());
  int err = errno;
  ::fsync(fd);
  ::close(fd);
  if (n != static_cast<ssize_t>(line.size()))
    throw RuntimeError(fmt::format("cannot write change log {}: {}", path,
                                   n < 0 ? std::strerror(err) : "short write"));
}

std::optional<ChangeEntry> change_from_json(std::string_view json) {
  simdjson::dom::parser parser;
  simdjson::dom::element e;
  if (parser.parse(json.data(), json.size()).get(e) != simdjson::SUCCESS || !e.is_object())
    return std::nullopt;
  ChangeEntry c;
  c.time = string_at(e, "time");
  if (c.time.empty()) return std::nullopt;
  c.mode = string_at(e, "mode");
  c.generation = string_at(e, "generation");
  c.documents = count_at(e, "documents");
  c.added_count = count_at(e, "added_count");
  c.removed_count = count_at(e, "removed_count");
  c.replaced_count = count_at(e, "replaced_count");
  c.added = ids_at(e, "added");
  c.removed = ids_at(e, "removed");
  simdjson::dom::array changes;
  if (e["status_changes"].get_array().get(changes) == simdjson::SUCCESS)
    for (auto s : changes)
      c.status_changes.push_back({string_at(s, "id"), string_at(s, "from"), string_at(s, "to")});
  return c;
}

std::vector<ChangeEntry> read_changes(const std::string& db, std::string_view since) {
  std::vector<ChangeEntry> entries;
  std::ifstream in(change_log_path(db));
  for (std::string line; std::getline(in, line);) {
    auto c = change_from_json(line);
    if (!c || std::string_view(c->time).substr(0, since.size()) < since) continue;
    entries.push_back(std::move(*c));
  }
  return entries;
}

bool change_logged(const std::string& db, const ChangeEntry& entry) {
  for (const auto& c : read_changes(db, entry.time))
    if (c.time == entry.time && c.mode == entry.mode) return true;
  return false;
}

}  // namespace trialsearch
