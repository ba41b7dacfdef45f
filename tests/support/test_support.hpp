/// @brief Test helpers: where the shared data, the corpus and the binary are; temporary folders;
/// running the CLI.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "indexer/trial_sink.hpp"

namespace trialsearch::test {

std::filesystem::path source_dir();
std::filesystem::path shared_data_dir();  ///< ../shared/data
std::filesystem::path seeds_dir();        ///< ../shared/seeds
std::filesystem::path corpus_dir();       ///< corpus/ in the repository
/// A database of the bundled corpus, indexed by the binary once per test run (in a temporary
/// folder removed at exit); throws std::runtime_error when indexing fails.
const std::string& corpus_database();
std::string binary();  ///< the built trialsearch, or $TRIALSEARCH_TEST_BINARY

/// A fresh temporary folder, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::string str() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

/// Runs `trialsearch ARGS...` (each argument shell-quoted) with optional stdin text and
/// environment assignments ("NAME=value"), capturing stdout, stderr and the exit code.
/// `wrapper`, when given, is the command that runs the binary (e.g. setpriv to drop root).
CommandResult run_cli(const std::vector<std::string>& args, const std::string& stdin_text = {},
                      const std::vector<std::string>& env = {},
                      const std::vector<std::string>& wrapper = {});

/// One API v2 study as a single JSON line (for NDJSON test inputs).
std::string study_json(const std::string& id, const std::string& title,
                       const std::string& drug = "placebo",
                       const std::vector<std::string>& other_names = {},
                       const std::string& status = "RECRUITING");

/// Writes a zip archive of `entries` (name, content) at `path`.
void write_zip(const std::filesystem::path& path,
               const std::vector<std::pair<std::string, std::string>>& entries);

/// A sink that keeps everything it is given.
class CollectingSink : public TrialSink {
 public:
  void trial(Trial&& t) override { trials.push_back(std::move(t)); }
  void skipped(const Origin& where, std::string_view reason) override {
    skips.push_back(describe(where) + ": " + std::string(reason));
  }
  std::vector<Trial> trials;
  std::vector<std::string> skips;
};

/// Reads a whole file.
std::string read_file(const std::filesystem::path& path);

}  // namespace trialsearch::test
