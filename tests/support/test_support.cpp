#include "tests/support/test_support.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

namespace trialsearch::test {
namespace fs = std::filesystem;

fs::path source_dir() { return TRIALSEARCH_SOURCE_DIR; }
fs::path shared_data_dir() { return TRIALSEARCH_SHARED_DATA_DIR; }
fs::path seeds_dir() { return TRIALSEARCH_SHARED_SEEDS_DIR; }
fs::path corpus_dir() { return source_dir() / "corpus"; }
std::string binary() { return TRIALSEARCH_BINARY; }

TempDir::TempDir() {
  static std::atomic<int> counter{0};
  std::random_device rd;
  path_ = fs::temp_directory_path() / ("trialsearch-test-" + std::to_string(::getpid()) + "-" +
                                       std::to_string(counter++) + "-" + std::to_string(rd()));
  fs::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

namespace {
std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'')
      out.append("'\\''");
    else
      out.push_back(c);
  }
  out.push_back('\'');
  return out;
}
}  // namespace

CommandResult run_cli(const std::vector<std::string>& args, const std::string& stdin_text,
                      const std::vector<std::string>& env) {
  TempDir tmp;
  auto in_path = tmp.path() / "stdin";
  auto out_path = tmp.path() / "stdout";
  auto err_path = tmp.path() / "stderr";
  {
    std::ofstream in(in_path, std::ios::binary);
    in << stdin_text;
  }
  // Built with append() only: GCC 12 at -O3 warns falsely (-Wrestrict) about operator+ chains.
  std::string cmd;
  if (!env.empty()) cmd.append("env ");
  for (const auto& e : env) cmd.append(shell_quote(e)).append(" ");
  cmd.append(shell_quote(binary()));
  for (const auto& a : args) cmd.append(" ").append(shell_quote(a));
  cmd.append(" <").append(shell_quote(in_path.string()));
  cmd.append(" >").append(shell_quote(out_path.string()));
  cmd.append(" 2>").append(shell_quote(err_path.string()));
  int status = std::system(cmd.c_str());
  CommandResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.out = read_file(out_path);
  result.err = read_file(err_path);
  return result;
}

}  // namespace trialsearch::test
