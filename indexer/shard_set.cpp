#include "indexer/shard_set.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>
#include <xapian.h>

#include "analyzers/db_metadata.hpp"
#include "analyzers/errors.hpp"
#include "analyzers/fields.hpp"
#include "analyzers/strings.hpp"
#include "analyzers/text_fold.hpp"
#include "indexer/generations.hpp"

namespace trialsearch {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kTablesRole = "tables";

std::string new_set_id() {
  std::random_device random;
  std::uniform_int_distribution<std::uint32_t> word;
  return fmt::format("{:08x}{:08x}", word(random), word(random));
}

// A trial of a database: its document and content hash.
struct HeldTrial {
  Xapian::docid id = 0;
  std::string hash;
};

// The trials of `db` whose NCT id `wanted` keeps, by NCT id: the id and hash value streams
// walked together, once.
template <typename Keep>
std::unordered_map<std::string, HeldTrial> trials_by_id(const Xapian::Database& db, Keep wanted) {
  std::unordered_map<std::string, HeldTrial> out;
  auto hash = db.valuestream_begin(kSlotContentHash);
  const auto hash_end = db.valuestream_end(kSlotContentHash);
  for (auto id = db.valuestream_begin(kSlotNctId); id != db.valuestream_end(kSlotNctId); ++id) {
    const std::string nct = *id;
    if (!wanted(nct)) continue;
    if (hash != hash_end && hash.get_docid() < id.get_docid()) hash.skip_to(id.get_docid());
    HeldTrial t{id.get_docid(), {}};
    if (hash != hash_end && hash.get_docid() == id.get_docid()) t.hash = *hash;
    out.emplace(nct, std::move(t));
  }
  return out;
}

// The role a database folder's live generation holds; nullopt when there is none or it
// cannot be read (the set is then written anew).
std::optional<ShardRole> role_at(const std::string& folder, std::string* schema = nullptr) {
  try {
    if (layout_of(folder) != DbLayout::Generations) return std::nullopt;
    Xapian::Database db(live_database_path(folder), Xapian::DB_BACKEND_GLASS);
    if (schema) *schema = db.get_metadata(std::string(kMetaSchema));
    return parse_role(db.get_metadata(std::string(kMetaShard)));
  } catch (const Xapian::Error&) {
    return std::nullopt;
  } catch (const RuntimeError&) {
    return std::nullopt;
  }
}

void set_shard_metadata(Xapian::WritableDatabase& w, const ShardRole& role,
                        const Xapian::Database& live) {
  w.set_metadata(std::string(kMetaSchema), std::string(kSchemaVersion));
  w.set_metadata(std::string(kMetaShard), format_role(role));
  w.set_metadata(std::string(kMetaBuilt), live.get_metadata(std::string(kMetaBuilt)));
}

// A new generation of `folder` (created if missing), for a build; returns its path.
std::string new_generation(const std::string& folder) {
  fs::create_directories(folder);
  return (fs::path(folder) / next_generation(folder)).string();
}

// Shard `role.index` written anew from the live database, into a new generation of `folder`
// (published later). Returns its path.
std::string build_shard(const Xapian::Database& live, const std::string& folder,
                        const ShardRole& role, ShardSyncSummary& summary) {
  const std::string path = new_generation(folder);
  Xapian::WritableDatabase w(path, Xapian::DB_CREATE | Xapian::DB_BACKEND_GLASS);
  for (auto id = live.valuestream_begin(kSlotNctId); id != live.valuestream_end(kSlotNctId); ++id) {
    if (shard_of(*id, role.count) != role.index) continue;
    w.add_document(live.get_document(id.get_docid()));
    ++summary.added;
  }
  set_shard_metadata(w, role, live);
  w.commit();
  w.close();
  return path;
}

// Shard `role.index`, live in `folder`, brought up to the live database in one commit.
void update_shard(const Xapian::Database& live, const std::string& folder, const ShardRole& role,
                  ShardSyncSummary& summary) {
  auto wanted = trials_by_id(
      live, [&](const std::string& nct) { return shard_of(nct, role.count) == role.index; });
  Xapian::WritableDatabase w(live_database_path(folder), Xapian::DB_OPEN);
  const auto held = trials_by_id(w, [](const std::string&) { return true; });
  for (const auto& [nct, shard_trial] : held) {
    auto it = wanted.find(nct);
    if (it == wanted.end()) {
      w.delete_document(shard_trial.id);
      ++summary.removed;
      continue;
    }
    if (!shard_trial.hash.empty() && shard_trial.hash == it->second.hash) {
      ++summary.unchanged;
    } else {
      w.replace_document(shard_trial.id, live.get_document(it->second.id));
      ++summary.replaced;
    }
    wanted.erase(it);
  }
  // What is left is new to the shard, added in the live database's order.
  std::vector<Xapian::docid> added;
  added.reserve(wanted.size());
  for (const auto& [nct, t] : wanted) added.push_back(t.id);
  std::sort(added.begin(), added.end());
  for (Xapian::docid id : added) w.add_document(live.get_document(id));
  summary.added += added.size();
  set_shard_metadata(w, role, live);
  w.commit();
}

// The tables database written anew from the live one, into a new generation of `folder`.
std::string build_tables(const Xapian::Database& live, const std::string& folder,
                         const ShardRole& role) {
  const std::string path = new_generation(folder);
  Xapian::WritableDatabase w(path, Xapian::DB_CREATE | Xapian::DB_BACKEND_GLASS);
  for (auto k = live.metadata_keys_begin(); k != live.metadata_keys_end(); ++k)
    w.set_metadata(*k, live.get_metadata(*k));
  for (auto k = live.synonym_keys_begin(); k != live.synonym_keys_end(); ++k)
    for (auto s = live.synonyms_begin(*k); s != live.synonyms_end(*k); ++s) w.add_synonym(*k, *s);
  for (auto s = live.spellings_begin(); s != live.spellings_end(); ++s)
    w.add_spelling(*s, s.get_termfreq());
  w.set_metadata(std::string(kMetaShard), format_role(role));
  w.commit();
  w.close();
  return path;
}

// The set's own stub: the tables, then every shard (the local form; clients write their own).
void write_set_stub(const std::string& out, unsigned count) {
  const fs::path stub = fs::path(out) / kStubName;
  const fs::path tmp = fs::path(out) / fmt::format("{}.tmp-{}", kStubName, ::getpid());
  {
    std::ofstream f(tmp, std::ios::trunc);
    f << "# trialsearch shard set: the tables, then the shards by NCT id\n";
    f << "auto " << kTablesFolderName << "\n";
    for (unsigned i = 0; i < count; ++i) f << "auto " << shard_folder_name(i) << "\n";
    f.flush();
    if (!f) throw RuntimeError(fmt::format("cannot write {}", tmp.string()));
  }
  std::error_code ec;
  fs::rename(tmp, stub, ec);
  if (ec) throw RuntimeError(fmt::format("cannot write {}: {}", stub.string(), ec.message()));
}

}  // namespace

std::string format_role(const ShardRole& role) {
  return role.tables ? fmt::format("{}/{}/{}", kTablesRole, role.count, role.set_id)
                     : fmt::format("{}/{}/{}", role.index, role.count, role.set_id);
}

std::optional<ShardRole> parse_role(std::string_view text) {
  auto parts = split_fields(text, '/');
  if (parts.size() != 3 || parts[2].empty() || !all_digits(parts[1]) || parts[1].size() > 3)
    return std::nullopt;
  ShardRole role;
  role.count = static_cast<unsigned>(std::stoul(std::string(parts[1])));
  role.set_id = std::string(parts[2]);
  if (parts[0] == kTablesRole) {
    role.tables = true;
  } else {
    if (!all_digits(parts[0]) || parts[0].size() > 3) return std::nullopt;
    role.index = static_cast<unsigned>(std::stoul(std::string(parts[0])));
  }
  if (role.count == 0 || role.count > kMaxShards || role.index >= role.count) return std::nullopt;
  return role;
}

unsigned shard_of(std::string_view nct_id, unsigned count) {
  std::uint64_t h = 14695981039346656037ULL;
  for (unsigned char c : nct_id) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return static_cast<unsigned>(h % count);
}

std::string shard_folder_name(unsigned index) { return fmt::format("shard-{}", index); }

ShardSyncSummary sync_shards(const ShardSyncOptions& o) {
  const auto start = std::chrono::steady_clock::now();
  const DbLayout live_layout = layout_of(o.db);
  if (live_layout != DbLayout::Generations && live_layout != DbLayout::Flat)
    throw RuntimeError(fmt::format("no trialsearch database at {} to make shards from", o.db));
  const DbLayout out_layout = layout_of(o.out);
  const std::string tables_folder = (fs::path(o.out) / kTablesFolderName).string();
  std::string tables_schema;
  const auto existing = role_at(tables_folder, &tables_schema);
  if (out_layout == DbLayout::Foreign || (out_layout == DbLayout::Generations && !existing) ||
      (out_layout == DbLayout::Flat))
    throw RuntimeError(fmt::format(
        "{} holds something other than a shard set: not written (give an empty or new folder)",
        o.out));
  const unsigned count = o.count ? o.count : existing ? existing->count : 0;
  if (count == 0) throw UsageError("a new shard set needs --shards N");
  if (count > kMaxShards)
    throw UsageError(fmt::format("--shards {}: at most {} shards", count, kMaxShards));

  WriterLock live_lock(o.db, o.wait_seconds);
  fs::create_directories(o.out);
  WriterLock out_lock(o.out, o.wait_seconds);
  Xapian::Database live(live_database_path(o.db), Xapian::DB_BACKEND_GLASS);
  if (live.get_metadata(std::string(kMetaSchema)) != kSchemaVersion)
    throw RuntimeError(fmt::format(
        "{} was built with another schema: reindex it (`trialsearch index --snapshot`) first",
        o.db));

  ShardSyncSummary summary;
  summary.count = count;
  summary.documents = live.get_doccount();
  bool rebuild = !existing || existing->count != count || tables_schema != kSchemaVersion;
  const std::string set_id = existing && existing->count == count ? existing->set_id : new_set_id();
  summary.set_id = set_id;
  for (unsigned i = 0; i < count && !rebuild; ++i) {
    auto role = role_at((fs::path(o.out) / shard_folder_name(i)).string());
    rebuild = !role || *role != ShardRole{false, i, count, set_id};
  }
  summary.rebuilt = rebuild;

  std::vector<std::pair<std::string, std::string>> to_publish;  // folder, generation path
  if (rebuild) {
    // Shards written anew in parallel, one thread per core, each with its own reader of the
    // live database (copying a document reads its positions term by term: about 250 trials a
    // second a thread, measured on the real records).
    const std::string live_path = live_database_path(o.db);
    std::vector<std::string> paths(count);
    std::vector<ShardSyncSummary> counts(count);
    std::vector<std::exception_ptr> errors(count);
    std::atomic<unsigned> next{0};
    {
      std::vector<std::jthread> workers;
      const unsigned threads = std::clamp(std::thread::hardware_concurrency(), 1U, count);
      for (unsigned t = 0; t < threads; ++t)
        workers.emplace_back([&] {
          for (unsigned i = next++; i < count; i = next++) {
            try {
              Xapian::Database reader(live_path, Xapian::DB_BACKEND_GLASS);
              paths[i] = build_shard(reader, (fs::path(o.out) / shard_folder_name(i)).string(),
                                     ShardRole{false, i, count, set_id}, counts[i]);
            } catch (...) {
              errors[i] = std::current_exception();
            }
          }
        });
    }
    for (unsigned i = 0; i < count; ++i) {
      if (errors[i]) std::rethrow_exception(errors[i]);
      to_publish.emplace_back((fs::path(o.out) / shard_folder_name(i)).string(), paths[i]);
      summary.added += counts[i].added;
    }
  } else {
    for (unsigned i = 0; i < count; ++i)
      update_shard(live, (fs::path(o.out) / shard_folder_name(i)).string(),
                   ShardRole{false, i, count, set_id}, summary);
  }
  to_publish.emplace_back(tables_folder,
                          build_tables(live, tables_folder, ShardRole{true, 0, count, set_id}));
  // Shards first, tables last: the tables name terms the shards hold.
  for (const auto& [folder, path] : to_publish) {
    publish_generation(folder, fs::path(path).filename().string());
    prune_generations(folder, o.keep);
  }
  if (!existing || existing->count != count) write_set_stub(o.out, count);
  // Shards beyond the count (a set made smaller) go once the stub no longer names them.
  for (unsigned i = count; i < kMaxShards; ++i) {
    const fs::path extra = fs::path(o.out) / shard_folder_name(i);
    std::error_code ec;
    if (!fs::exists(extra, ec)) break;
    fs::remove_all(extra, ec);
  }
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return summary;
}

}  // namespace trialsearch
