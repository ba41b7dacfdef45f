#include "cli/writer_process.hpp"

#include <fmt/format.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "cli/commands.hpp"
#include "indexer/generations.hpp"

namespace trialsearch::cli {
namespace {

bool crash_signal(int sig) {
  return sig == SIGSEGV || sig == SIGABRT || sig == SIGBUS || sig == SIGFPE || sig == SIGILL;
}

}  // namespace

std::optional<int> write_in_child_process(const std::string& db) {
  std::fflush(stdout);  // nothing buffered is written twice
  std::fflush(stderr);
  const pid_t parent = ::getpid();
  const pid_t child = ::fork();
  if (child < 0) return std::nullopt;
  if (child == 0) {
    // Killed with its parent (kill -9 of the index command stops the writing), and gone at once
    // if the parent died before this line.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(kExitRuntime);
    return std::nullopt;
  }
  int status = 0;
  while (::waitpid(child, &status, 0) < 0)
    if (errno != EINTR) {
      fmt::print(stderr, "trialsearch: lost the index process: {}\n", std::strerror(errno));
      return kExitRuntime;
    }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  const int sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
  std::string where = db;
  try {
    if (auto live = live_generation(db)) where = (std::filesystem::path(db) / *live).string();
  } catch (...) {  // the stub cannot be read: the folder itself is named
  }
  if (crash_signal(sig))
    fmt::print(stderr,
               "trialsearch: the writer crashed inside Xapian ({}) while writing {}: the database "
               "is damaged. Runs commit atomically, so it holds what its last commit held; check "
               "it with xapian-check, go back with `trialsearch rollback` or rebuild it with "
               "`trialsearch index --snapshot`\n",
               ::strsignal(sig), where);
  else
    fmt::print(stderr,
               "trialsearch: the index process was stopped ({}) while writing {}; the database "
               "holds what its last commit held, and the next run completes the work\n",
               sig ? ::strsignal(sig) : "unknown status", where);
  return kExitRuntime;
}

}  // namespace trialsearch::cli
