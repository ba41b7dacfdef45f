#include "tests/support/test_support.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

#include "indexer/json_writer.hpp"

namespace trialsearch::test {
namespace fs = std::filesystem;

fs::path source_dir() { return TRIALSEARCH_SOURCE_DIR; }
fs::path shared_data_dir() { return TRIALSEARCH_SHARED_DATA_DIR; }
fs::path seeds_dir() { return TRIALSEARCH_SHARED_SEEDS_DIR; }
fs::path corpus_dir() { return source_dir() / "corpus"; }

const std::string& corpus_database() {
  static TempDir dir;
  static std::string db = [] {
    std::string path = (dir.path() / "db").string();
    auto r = run_cli({"index", "--db", path, corpus_dir().string()});
    if (r.exit_code != 0) throw std::runtime_error("indexing the corpus failed: " + r.err);
    return path;
  }();
  return db;
}
std::string binary() {
  // Another build's binary (e.g. main's, to see a new test fail there).
  if (const char* other = std::getenv("TRIALSEARCH_TEST_BINARY"); other && *other) return other;
  return TRIALSEARCH_BINARY;
}

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

std::string study_json(const std::string& id, const std::string& title, const std::string& drug,
                       const std::vector<std::string>& other_names, const std::string& status) {
  JsonWriter w;
  w.begin_object().key("protocolSection").begin_object();
  w.key("identificationModule")
      .begin_object()
      .key("nctId")
      .value(id)
      .key("briefTitle")
      .value(title)
      .end_object();
  w.key("statusModule").begin_object().key("overallStatus").value(status).end_object();
  w.key("armsInterventionsModule").begin_object().key("interventions").begin_array();
  w.begin_object().key("type").value("DRUG").key("name").value(drug);
  w.key("otherNames").begin_array();
  for (const auto& o : other_names) w.value(o);
  w.end_array().end_object().end_array().end_object();
  w.end_object().end_object();
  return w.take();
}

void write_zip(const fs::path& path,
               const std::vector<std::pair<std::string, std::string>>& entries) {
  archive* a = archive_write_new();
  archive_write_set_format_zip(a);
  if (archive_write_open_filename(a, path.c_str()) != ARCHIVE_OK)
    throw std::runtime_error("cannot write " + path.string());
  for (const auto& [name, content] : entries) {
    archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, name.c_str());
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_entry_set_size(e, static_cast<la_int64_t>(content.size()));
    archive_write_header(a, e);
    archive_write_data(a, content.data(), content.size());
    archive_entry_free(e);
  }
  archive_write_close(a);
  archive_write_free(a);
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
                      const std::vector<std::string>& env,
                      const std::vector<std::string>& wrapper) {
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
  for (const auto& w : wrapper) cmd.append(shell_quote(w)).append(" ");
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
