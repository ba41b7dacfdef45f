/// @brief The index command's writing done in a child process, so that a crash inside Xapian on a
/// damaged database becomes a message naming the database and exit 1, never a crash of ours.
#pragma once

#include <optional>
#include <string>

namespace trialsearch::cli {

/// Forks. In the child (which dies with its parent) returns nullopt: the caller goes on and does
/// the writing, and its exit code is the command's. In the parent, waits for the child and returns
/// its exit code; a child ended by a signal is reported on stderr, naming `db` and its live
/// generation, and gives kExitRuntime. Call it before any thread is started. When fork() fails,
/// returns nullopt (the writing is done in this process).
std::optional<int> write_in_child_process(const std::string& db);

}  // namespace trialsearch::cli
