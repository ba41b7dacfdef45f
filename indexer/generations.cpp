#include "indexer/generations.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string_view>
#include <system_error>
#include <thread>
#include <utility>

#include <fmt/format.h>
#include <xapian.h>

#include "analyzers/errors.hpp"

namespace trialsearch {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kStub = kStubName;
constexpr std::string_view kGenPrefix = "gen-";
constexpr std::string_view kBuildingSuffix = ".building";

// "gen-000042" -> 42; also for what a build leaves beside it ("gen-000042.building",
// "gen-000042.building.shards"); nullopt for anything else.
std::optional<unsigned long> generation_number(std::string_view name) {
  if (name.substr(0, kGenPrefix.size()) != kGenPrefix) return std::nullopt;
  name.remove_prefix(kGenPrefix.size());
  name = name.substr(0, name.find('.'));
  if (name.empty() || name.size() > 9 ||
      !std::all_of(name.begin(), name.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  return std::stoul(std::string(name));
}

// A build in progress, or its leftovers after a crash: gen-N.building[.anything].
bool is_building(std::string_view name) {
  return generation_number(name) && name.find(kBuildingSuffix) != std::string_view::npos;
}

// A stub being written (XAPIANDB.tmp-PID), left behind only by a crash.
bool is_stub_leftover(std::string_view name) {
  return name.substr(0, kStub.size() + 5) == std::string(kStub) + ".tmp-";
}

std::vector<std::string> entries(const std::string& db) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(db, ec)) names.push_back(e.path().filename());
  std::sort(names.begin(), names.end());
  return names;
}

void sync_path(const std::string& path, int flags) {
  int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

// Bytes free for us on the disk holding `folder` (or its nearest existing parent: a failed
// first build may have removed the folder it wrote in); nullopt when statvfs fails.
std::optional<unsigned long long> free_bytes_at(const std::string& folder) {
  std::error_code ec;
  fs::path probe = fs::absolute(folder, ec);
  while (!fs::exists(probe, ec) && probe.has_parent_path() && probe != probe.parent_path())
    probe = probe.parent_path();
  struct statvfs disk {};
  if (::statvfs(probe.c_str(), &disk) != 0) return std::nullopt;
  return static_cast<unsigned long long>(disk.f_bavail) * disk.f_frsize;
}

RuntimeError disk_full_error(const std::string& folder, unsigned long long free_bytes,
                             std::string_view what) {
  return RuntimeError(fmt::format(
      "the disk is full: no space left to write {} ({} KB free on its disk); free some space "
      "and rerun ({})",
      folder, free_bytes / 1024, what));
}

}  // namespace

DbLayout layout_of(const std::string& db) {
  std::error_code ec;
  auto status = fs::status(db, ec);
  if (ec || !fs::exists(status)) return DbLayout::Missing;
  if (!fs::is_directory(status)) return DbLayout::Foreign;
  if (fs::exists(fs::path(db) / kStub, ec)) return DbLayout::Generations;
  if (fs::exists(fs::path(db) / "iamglass", ec) || fs::exists(fs::path(db) / "iamchert", ec))
    return DbLayout::Flat;
  // Empty, or holding only what a first build that never finished leaves behind.
  for (const auto& name : entries(db))
    if (name != "write.lock" && name != "changes.jsonl" && !is_building(name) &&
        !is_stub_leftover(name))
      return DbLayout::Foreign;
  return DbLayout::Empty;
}

namespace {

// A stub's text: read with a bound (trialsearch's are a few lines; never read a big file whole).
std::string stub_text(const std::string& stub_path) {
  constexpr std::size_t kMaxStubBytes = 4096;
  std::ifstream in(stub_path, std::ios::binary);
  std::string content(kMaxStubBytes + 1, '\0');
  in.read(content.data(), static_cast<std::streamsize>(content.size()));
  if (in.bad() || (!in && in.gcount() == 0 && !in.eof()))
    throw RuntimeError(fmt::format("cannot read database stub {}", stub_path));
  content.resize(static_cast<std::size_t>(in.gcount()));
  if (content.size() > kMaxStubBytes)
    throw RuntimeError(fmt::format("{} is not a database stub (over {} bytes): not opened",
                                   stub_path, kMaxStubBytes));
  return content;
}

// A folder name a stub may give: plain, beside the stub, not a build in progress.
bool plain_folder_name(std::string_view name) {
  return !name.empty() && name.front() != '.' && name.size() <= 64 && !is_building(name) &&
         std::all_of(name.begin(), name.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '.' || c == '_' || c == '-';
         });
}

// "HOST:PORT" or "[ADDR]:PORT" -> host, port; nullopt when it is not one.
std::optional<std::pair<std::string, unsigned>> host_port(std::string_view text) {
  auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  std::string_view host = text.substr(0, colon), port = text.substr(colon + 1);
  if (host.front() == '[') {
    if (host.size() < 3 || host.back() != ']') return std::nullopt;
    host = host.substr(1, host.size() - 2);
  }
  if (port.empty() || port.size() > 5 ||
      !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  const unsigned n = std::stoul(std::string(port));
  if (n == 0 || n > 65535) return std::nullopt;
  const bool plain_host = std::all_of(host.begin(), host.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '-' || c == ':';
  });
  if (!plain_host) return std::nullopt;
  return std::pair{std::string(host), n};
}

}  // namespace

std::string StubEntry::label() const {
  return remote() ? fmt::format("{}:{}", host, port) : fs::path(folder).filename().string();
}

std::vector<StubEntry> read_stub(const std::string& stub_path) {
  const std::string content = stub_text(stub_path);
  const fs::path dir = fs::path(stub_path).parent_path();
  std::vector<StubEntry> out;
  unsigned line_no = 0;
  for (std::string_view rest = content; !rest.empty();) {
    auto end = std::min(rest.find('\n'), rest.size());
    std::string_view line = rest.substr(0, end);
    rest.remove_prefix(std::min(end + 1, rest.size()));
    ++line_no;
    if (line.ends_with('\r')) line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    StubEntry e;
    e.line = line_no;
    constexpr std::string_view kAuto = "auto ", kRemote = "remote ";
    if (line.starts_with(kAuto) && plain_folder_name(line.substr(kAuto.size()))) {
      e.folder = (dir / std::string(line.substr(kAuto.size()))).string();
    } else if (auto hp = line.starts_with(kRemote) ? host_port(line.substr(kRemote.size()))
                                                   : std::nullopt) {
      e.host = hp->first;
      e.port = hp->second;
    } else {
      throw RuntimeError(fmt::format(
          "{}:{}: not a database stub line trialsearch opens (\"auto NAME\" naming a folder "
          "beside it, or \"remote HOST:PORT\"): not opened; restore it with `trialsearch "
          "rollback --to GEN` or rebuild the database",
          stub_path, line_no));
    }
    if (out.size() == kMaxStubEntries)
      throw RuntimeError(
          fmt::format("{} names over {} databases: not opened", stub_path, kMaxStubEntries));
    out.push_back(std::move(e));
  }
  if (out.empty())
    throw RuntimeError(
        fmt::format("{} names no database: not opened; restore it with "
                    "`trialsearch rollback --to GEN` or rebuild the database",
                    stub_path));
  return out;
}

std::optional<std::string> stub_file_of(const std::string& db) {
  std::error_code ec;
  auto status = fs::status(db, ec);
  if (fs::is_regular_file(status)) return db;
  fs::path stub = fs::path(db) / kStub;
  if (fs::exists(fs::symlink_status(stub, ec))) return stub.string();
  return std::nullopt;
}

std::string checked_stub(const std::string& stub_path) {
  const std::string content = stub_text(stub_path);
  std::string_view text = content;
  if (text.ends_with('\n')) text.remove_suffix(1);
  // "auto gen-000042": one line, one generation folder beside the stub, nothing else.
  constexpr std::string_view kAuto = "auto ";
  std::string_view name = text.starts_with(kAuto) ? text.substr(kAuto.size()) : std::string_view{};
  if (!generation_number(name) || is_building(name) ||
      name.find_first_of("/\n\r\t ") != std::string_view::npos)
    throw RuntimeError(fmt::format(
        "{} is not a stub trialsearch wrote (it holds one line, \"auto gen-NNNNNN\"): not "
        "opened; restore it with `trialsearch rollback --to GEN` or rebuild the database",
        stub_path));
  return std::string(name);
}

std::optional<std::string> live_generation(const std::string& db) {
  fs::path stub = fs::path(db) / kStub;
  std::error_code ec;
  if (!fs::exists(fs::symlink_status(stub, ec))) return std::nullopt;
  return checked_stub(stub.string());
}

std::string live_database_path(const std::string& db) {
  std::error_code ec;
  auto status = fs::status(db, ec);
  if (fs::is_regular_file(status)) return (fs::path(db).parent_path() / checked_stub(db)).string();
  if (auto live = live_generation(db)) return (fs::path(db) / *live).string();
  return db;
}

std::vector<std::string> generations(const std::string& db) {
  std::vector<std::string> gens;
  for (auto& name : entries(db))
    if (generation_number(name) && !is_building(name)) gens.push_back(name);
  std::sort(gens.begin(), gens.end(), [](const std::string& a, const std::string& b) {
    return *generation_number(a) < *generation_number(b);
  });
  return gens;
}

std::string next_generation(const std::string& db) {
  unsigned long newest = 0;
  for (const auto& name : entries(db))
    if (auto n = generation_number(name)) newest = std::max(newest, *n);
  return fmt::format("{}{:06}", kGenPrefix, newest + 1);
}

void publish_generation(const std::string& db, const std::string& name) {
  fs::path stub = fs::path(db) / kStub;
  fs::path tmp = fs::path(db) / fmt::format("{}.tmp-{}", kStub, ::getpid());
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << "auto " << name << "\n";
    out.flush();
    if (!out) throw RuntimeError(fmt::format("cannot write {}", tmp.string()));
  }
  sync_path(tmp, O_RDONLY);
  if (std::rename(tmp.c_str(), stub.c_str()) != 0) {
    std::string why = std::strerror(errno);
    std::error_code ec;
    fs::remove(tmp, ec);
    throw RuntimeError(fmt::format("cannot switch {} to {}: {}", stub.string(), name, why));
  }
  sync_path(db, O_RDONLY | O_DIRECTORY);
}

std::vector<std::string> prune_generations(const std::string& db, unsigned keep) {
  std::vector<std::string> removed;
  auto live = live_generation(db);
  std::error_code ec;
  for (const auto& name : entries(db)) {
    if (is_building(name) || is_stub_leftover(name)) {
      fs::remove_all(fs::path(db) / name, ec);
      removed.push_back(name);
    }
  }
  if (!live) return removed;
  auto gens = generations(db);
  auto it = std::find(gens.begin(), gens.end(), *live);
  if (it == gens.end()) return removed;
  // Newer than live: never published (a snapshot killed between renaming its folder into place
  // and switching the stub), or rolled back from. Kept, one would become the rollback target
  // after the next snapshot instead of the generation that was live before it.
  for (auto newer = it + 1; newer != gens.end(); ++newer) {
    fs::remove_all(fs::path(db) / *newer, ec);
    removed.push_back(*newer);
  }
  // Older than live: keep the `keep` newest.
  std::size_t older = static_cast<std::size_t>(it - gens.begin());
  for (std::size_t i = 0; i + keep < older; ++i) {
    fs::remove_all(fs::path(db) / gens[i], ec);
    removed.push_back(gens[i]);
  }
  return removed;
}

std::exception_ptr naming_full_disk(const std::string& folder) {
  std::exception_ptr current = std::current_exception();
  std::string what;
  int error_number = 0;
  try {
    throw;
  } catch (const Xapian::Error& e) {
    what = e.get_description();
    error_number =
        e.get_error_string() && std::strcmp(e.get_error_string(), std::strerror(ENOSPC)) == 0
            ? ENOSPC
            : 0;
  } catch (const std::system_error& e) {
    what = e.what();
    error_number = e.code().value();
  } catch (...) {
    return current;  // not a write failure
  }
  const auto free_bytes = free_bytes_at(folder);
  constexpr unsigned long long kFullBytes = 1 << 20;
  if (error_number != ENOSPC && (!free_bytes || *free_bytes >= kFullBytes)) return current;
  return std::make_exception_ptr(disk_full_error(folder, free_bytes.value_or(0), what));
}

RuntimeError damaged_database_error(const std::string& db, const std::string& xapian_error) {
  std::string folder = db;
  try {
    folder = live_database_path(db);
  } catch (const RuntimeError&) {
    // a stub that is not ours: name the folder given
  }
  return RuntimeError(fmt::format(
      "database {} is damaged ({}): switch back to the generation before with `trialsearch "
      "rollback`, or rebuild it with `trialsearch index --snapshot`",
      folder, xapian_error));
}

void require_free_space(const std::string& folder, unsigned long long bytes) {
  const auto free_bytes = free_bytes_at(folder);
  if (free_bytes && *free_bytes < bytes)
    throw disk_full_error(folder, *free_bytes,
                          fmt::format("a build stops when less than {} MB are left", bytes >> 20));
}

std::string writer_lock_path(const std::string& db) { return (fs::path(db) / "write.lock"); }

WriterLock::WriterLock(const std::string& db, double wait_seconds) {
  std::string path = writer_lock_path(db);
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0)
    throw RuntimeError(fmt::format("cannot open lock file {}: {}", path, std::strerror(errno)));
  auto deadline =
      std::chrono::steady_clock::now() + std::chrono::duration<double>(std::max(0.0, wait_seconds));
  while (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    if (errno != EWOULDBLOCK && errno != EINTR) {
      std::string why = std::strerror(errno);
      ::close(fd_);
      throw RuntimeError(fmt::format("cannot lock {}: {}", path, why));
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      ::close(fd_);
      throw LockedError(fmt::format(
          "database {} is being written by another trialsearch index (lock {}); retry later or "
          "pass --wait SECONDS (never delete the lock file: it is released when that process "
          "ends)",
          db, path));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

WriterLock::~WriterLock() {
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace trialsearch
