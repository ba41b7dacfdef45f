/// @brief A database folder as generations: readers open the folder, whose stub file (XAPIANDB,
/// which Xapian 1.4 follows) names the live generation; a snapshot builds the next generation
/// beside it and switches readers with one rename() of the stub.
///
///   DIR/XAPIANDB          "auto gen-000042": the live generation
///   DIR/gen-000042/       live Xapian database
///   DIR/gen-000041/       kept for rollback (--keep)
///   DIR/gen-000043.building/  a build in progress (removed if the build fails or was killed)
///   DIR/write.lock        held (flock) by the one writer; never delete it by hand
///   DIR/changes.jsonl     what each index run changed (change_log.hpp)
#pragma once

#include <cstddef>
#include <exception>
#include <optional>
#include <string>
#include <vector>

#include "analyzers/errors.hpp"

namespace trialsearch {

/// What is at a --db path.
enum class DbLayout {
  Missing,      ///< nothing there yet
  Empty,        ///< an empty folder
  Flat,         ///< a Xapian database folder (built before generations existed)
  Generations,  ///< a stub file naming the live generation
  Foreign,      ///< a folder with other content: never written to
};

DbLayout layout_of(const std::string& db);

/// The file name of the stub in a database folder.
inline constexpr const char* kStubName = "XAPIANDB";

/// The generation a stub file names ("gen-000042"), checked: trialsearch reads only the stubs
/// it writes, one line "auto gen-NNNNNN" naming a folder beside the stub. Anything else (a
/// "remote" line, which Xapian would run as a program; a path out of the folder; a second
/// database) throws RuntimeError naming the file. Stubs are never handed to Xapian: callers
/// open the generation folder this returns. This is the one place to extend when more stub
/// lines become ours.
std::string checked_stub(const std::string& stub_path);

/// One database a stub file names, for readers (read_stub).
struct StubEntry {
  std::string folder;  ///< a database folder beside the stub (its path); empty for a remote one
  std::string host;    ///< a remote database served by xapian-tcpsrv: its host and port
  unsigned port = 0;
  unsigned line = 0;  ///< the stub's line that names it
  [[nodiscard]] bool remote() const { return !host.empty(); }
  [[nodiscard]] std::string label() const;  ///< the folder's name, or HOST:PORT
};

/// Most databases one stub may name.
inline constexpr std::size_t kMaxStubEntries = 64;

/// Every database a stub names, checked, for readers. Its lines may be comments (`#`), blank,
/// `auto NAME` naming a folder beside the stub by a plain name (letters, digits, `.`, `_`, `-`;
/// not `.` or `..`, not a build in progress): a generation (`gen-NNNNNN`), a replica that
/// xapian-replicate keeps (`replica_0`), a shard set's folders (`tables`, `shard-K`); or
/// `remote HOST:PORT` (`[ADDR]:PORT` for IPv6), a database xapian-tcpsrv serves. Anything else
/// (a `remote :PROGRAM` line, which Xapian would run; a path; another backend) throws
/// RuntimeError naming the file and line. Stubs are never handed to Xapian: readers open what
/// this returns themselves.
std::vector<StubEntry> read_stub(const std::string& stub_path);

/// The stub file of a --db path: the path itself when it is a file, DIR/XAPIANDB when that
/// exists; nullopt for a database folder without one.
std::optional<std::string> stub_file_of(const std::string& db);

/// The live generation's folder name ("gen-000042"); nullopt when `db` has no stub. Throws
/// RuntimeError when it has one that is not ours (checked_stub).
std::optional<std::string> live_generation(const std::string& db);

/// The folder of the live Xapian database at a --db path: the generation the stub names (a
/// folder with a stub, or the stub file itself), else the path as given. Throws RuntimeError
/// for a stub that is not ours.
std::string live_database_path(const std::string& db);

/// Generation folder names (complete ones, not builds in progress), oldest first.
std::vector<std::string> generations(const std::string& db);

/// The name of the generation after the newest one there ("gen-000001" for the first).
std::string next_generation(const std::string& db);

/// Points readers at generation `name` (a complete folder in `db`): writes a new stub beside
/// the old one, syncs it, and rename()s it over XAPIANDB. Throws RuntimeError on I/O failure.
void publish_generation(const std::string& db, const std::string& name);

/// Removes generations older than the live one beyond the `keep` newest, generations newer
/// than the live one (never published, or rolled back from: so that the generation kept for
/// rollback is always the one live before), and folders of builds that did not finish (a
/// killed run's). Call only while holding the WriterLock. Readers that have a removed
/// generation open keep reading it (its files stay until they close them); readers that open
/// the folder afterwards follow the stub to the live one. Returns the names removed.
std::vector<std::string> prune_generations(const std::string& db, unsigned keep);

/// To be called in a catch block after a write into `folder` failed: the exception being
/// handled, or, when the disk holding `folder` is full (ENOSPC, or under 1 MiB left: Xapian
/// does not always keep the errno, e.g. "cancel() not supported under DB_DANGEROUS"), a
/// RuntimeError that says so, names the folder and keeps the original message. Check before
/// removing what the failed write left, which frees the space again.
std::exception_ptr naming_full_disk(const std::string& folder);

/// The error for a Xapian error met while reading or writing the database at `db` (a
/// DatabaseError or DocNotFoundError: a damaged database): names the live database folder,
/// keeps Xapian's message and says what to do.
RuntimeError damaged_database_error(const std::string& db, const std::string& xapian_error);

/// Free space a build keeps on its disk (see require_free_space).
inline constexpr unsigned long long kBuildFreeSpaceBytes = 32ULL << 20;

/// Throws naming_full_disk's RuntimeError when less than `bytes` are free on the disk holding
/// `folder`. The shard builders call it before each commit: Xapian 1.4.22 can end the process
/// (std::terminate inside WritableDatabase::commit) when the disk fills during a commit of a
/// DB_DANGEROUS database, which no catch can turn into a message, so they stop short of it.
void require_free_space(const std::string& folder, unsigned long long bytes);

/// The one-writer lock of a database folder (flock on DIR/write.lock, released when the
/// process ends however it ends). Throws LockedError when another writer holds it after
/// `wait_seconds`.
class WriterLock {
 public:
  WriterLock(const std::string& db, double wait_seconds);
  ~WriterLock();
  WriterLock(const WriterLock&) = delete;
  WriterLock& operator=(const WriterLock&) = delete;

 private:
  int fd_ = -1;
};

/// The lock file's path, for messages.
std::string writer_lock_path(const std::string& db);

}  // namespace trialsearch
