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
#include "indexer/json_fields.hpp"

namespace trialsearch {

template <>
struct JsonSchema<StatusChange> {
  static constexpr auto empty = JsonEmpty::Write;
  static constexpr auto fields =
      std::tuple{json_field("id", &StatusChange::id), json_field("from", &StatusChange::from),
                 json_field("to", &StatusChange::to)};
};

template <>
struct JsonSchema<ChangeEntry> {
  static constexpr auto empty = JsonEmpty::Write;
  static constexpr auto fields =
      std::tuple{json_field("time", &ChangeEntry::time),
                 json_field("mode", &ChangeEntry::mode),
                 json_field("generation", &ChangeEntry::generation),
                 json_field("documents", &ChangeEntry::documents),
                 json_field("added_count", &ChangeEntry::added_count),
                 json_field("removed_count", &ChangeEntry::removed_count),
                 json_field("replaced_count", &ChangeEntry::replaced_count),
                 json_field("added", &ChangeEntry::added),
                 json_field("removed", &ChangeEntry::removed),
                 json_field("status_changes", &ChangeEntry::status_changes)};
};

std::string change_log_path(const std::string& db) {
  return std::filesystem::path(db) / "changes.jsonl";
}

std::string change_to_json(const ChangeEntry& c) { return to_json(c); }

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
  read_json(e, c);
  if (c.time.empty()) return std::nullopt;
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
