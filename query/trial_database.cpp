#include "query/trial_database.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <optional>
#include <thread>

#include <fmt/format.h>

#include "analyzers/db_metadata.hpp"
#include "analyzers/errors.hpp"
#include "analyzers/fields.hpp"
#include "indexer/generations.hpp"
#include "indexer/shard_set.hpp"

namespace trialsearch {
namespace {

// Stubs naming stubs: a shard set's stub names folders whose stubs name generations (or
// xapian-replicate's replica_N); deeper is a loop or a mistake.
constexpr int kMaxStubDepth = 3;
// Remote shards (xapian-tcpsrv): how long to wait for a connection, and for an answer.
constexpr unsigned kConnectTimeoutMs = 5000;
constexpr unsigned kRemoteTimeoutMs = 60000;

Xapian::Database open_path(const std::string& path, int depth);

RuntimeError shard_down_error(const std::string& stub, const StubEntry& e, const std::string& why) {
  return RuntimeError(
      fmt::format("shard {} ({} line {}) cannot be reached: {}", e.label(), stub, e.line, why));
}

// One database a stub line names, opened.
Xapian::Database open_entry(const std::string& stub, const StubEntry& e, int depth) {
  if (!e.remote()) return open_path(e.folder, depth + 1);
  try {
    return Xapian::Remote::open(e.host, e.port, kRemoteTimeoutMs, kConnectTimeoutMs);
  } catch (const Xapian::NetworkError& err) {
    throw shard_down_error(stub, e, err.get_msg());
  }
}

// A stub naming several databases, or a remote one: a shard set, checked: the tables first,
// then each shard of the same set once, so that a missing or repeated shard is an error and
// never a partial answer.
Xapian::Database open_shard_set(const std::string& stub, const std::vector<StubEntry>& entries,
                                int depth) {
  Xapian::Database set;
  std::optional<ShardRole> tables;
  std::vector<bool> seen;
  for (const StubEntry& e : entries) {
    Xapian::Database sub = open_entry(stub, e, depth);
    std::optional<ShardRole> role;
    try {
      role = parse_role(sub.get_metadata(std::string(kMetaShard)));
    } catch (const Xapian::NetworkError& err) {
      throw shard_down_error(stub, e, err.get_msg());
    }
    if (!tables) {
      if (!role || !role->tables || role->count + 1 != entries.size())
        throw RuntimeError(fmt::format(
            "{}: a stub naming several databases, or a remote one, names a shard set: its "
            "tables first (line {} is not), then every shard once ({})",
            stub, e.line, "trialsearch shard"));
      tables = role;
      seen.assign(role->count, false);
    } else if (!role || role->tables || role->count != tables->count ||
               role->set_id != tables->set_id || seen[role->index]) {
      throw RuntimeError(fmt::format(
          "{} line {} ({}) is not a shard of the set the tables belong to, or names a shard "
          "twice: not opened",
          stub, e.line, e.label()));
    } else {
      seen[role->index] = true;
    }
    set.add_database(sub);
  }
  return set;
}

// The database at `path`: a glass folder, or what its stub (checked: read_stub) names. A
// snapshot that switches a stub and prunes the generation it named between our reading the stub
// and opening the generation makes that open fail: the stub then names another, so try again.
Xapian::Database open_path(const std::string& path, int depth) {
  const auto stub = stub_file_of(path);
  if (!stub) return Xapian::Database(path, Xapian::DB_BACKEND_GLASS);
  if (depth >= kMaxStubDepth)
    throw RuntimeError(
        fmt::format("{}: stubs naming stubs more than {} deep: not opened", *stub, kMaxStubDepth));
  constexpr int kAttempts = 5;
  for (int attempt = 1;; ++attempt) {
    const auto entries = read_stub(*stub);
    try {
      if (entries.size() == 1 && !entries.front().remote())
        return open_path(entries.front().folder, depth + 1);
      return open_shard_set(*stub, entries, depth);
    } catch (const Xapian::DatabaseOpeningError&) {
      auto now = read_stub(*stub);
      const bool moved =
          now.size() != entries.size() ||
          !std::equal(now.begin(), now.end(), entries.begin(),
                      [](const StubEntry& a, const StubEntry& b) {
                        return a.folder == b.folder && a.host == b.host && a.port == b.port;
                      });
      if (attempt == kAttempts || !moved) throw;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

}  // namespace

RuntimeError no_database_error(const std::string& path) {
  return RuntimeError(fmt::format(
      "no trialsearch database at {}: build one with `trialsearch index --db {} SOURCE...`", path,
      path));
}

Xapian::Database open_database(const std::string& path) {
  if (!std::filesystem::exists(path)) throw no_database_error(path);
  Xapian::Database db;
  try {
    db = open_path(path, 0);
  } catch (const Xapian::DatabaseNotFoundError&) {
    throw RuntimeError(fmt::format(
        "{} is not a trialsearch database: build one with `trialsearch index --db {} SOURCE...`",
        path, path));
  } catch (const Xapian::DatabaseError& e) {
    throw damaged_database_error(path, e.get_description());
  }
  std::string schema;
  try {
    schema = db.get_metadata(std::string(kMetaSchema));
  } catch (const Xapian::DatabaseError& e) {
    throw damaged_database_error(path, e.get_description());
  }
  if (schema != kSchemaVersion)
    throw RuntimeError(fmt::format(
        "database {} was built with schema '{}' but this trialsearch reads '{}': reindex with "
        "`trialsearch index --snapshot --db {} SOURCE...` (or into a new folder)",
        path, schema.empty() ? "unknown" : schema, kSchemaVersion, path));
  return db;
}

bool is_shard_set(const Xapian::Database& db) {
  const auto role = parse_role(db.get_metadata(std::string(kMetaShard)));
  return role && role->tables;
}

std::vector<ShardStatus> shard_statuses(const std::string& path) {
  std::vector<ShardStatus> out;
  const auto stub = stub_file_of(path);
  if (!stub) return out;
  const auto entries = read_stub(*stub);
  if (entries.size() == 1 && !entries.front().remote()) return out;
  for (const StubEntry& e : entries) {
    ShardStatus s;
    s.label = e.label();
    try {
      Xapian::Database db = open_entry(*stub, e, 0);
      s.role = db.get_metadata(std::string(kMetaShard));
      s.documents = db.get_doccount();
      s.up = true;
    } catch (const RuntimeError& err) {
      s.error = err.what();
    } catch (const Xapian::Error& err) {
      s.error = fmt::format("{}: {}", err.get_type(), err.get_msg());
    }
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace trialsearch
