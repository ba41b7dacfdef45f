// The nightly job through the real binary: --snapshot and its --json summary, `changes`, and an
// indexer killed with SIGKILL mid-run, which must leave a readable database that the next run
// completes.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include <simdjson.h>
#include <xapian.h>
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "tests/support/test_support.hpp"

using namespace trialsearch;
using test::run_cli;
namespace fs = std::filesystem;

extern char** environ;

namespace {

std::string write_studies(const test::TempDir& dir, const std::string& name, int first, int last,
                          const std::string& status = "RECRUITING") {
  auto path = dir.path() / name;
  std::ofstream out(path);
  for (int i = first; i <= last; ++i) {
    char id[16];
    std::snprintf(id, sizeof id, "NCT%08d", i);
    out << test::study_json(id, "Lupus nephritis trial " + std::to_string(i), "voclosporin", {},
                            status)
        << "\n";
  }
  return path.string();
}

std::uint64_t json_count(const std::string& json, std::string_view key) {
  simdjson::dom::parser parser;
  return std::uint64_t(parser.parse(json)[key]);
}

std::uint64_t documents(const std::string& db) {
  auto r = run_cli({"stats", "--db", db, "--json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return json_count(r.out, "documents");
}

// Starts `trialsearch ARGS...` (output discarded), lets it run until `ready` says so or
// `max_wait` passes, then kills it with SIGKILL. Returns whether it was still running.
template <class Ready>
bool kill_midway(const std::vector<std::string>& args, Ready ready,
                 std::chrono::milliseconds max_wait) {
  std::vector<std::string> argv_s{test::binary()};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  ::prctl(PR_SET_CHILD_SUBREAPER, 1);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  REQUIRE(posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ) == 0);
  posix_spawn_file_actions_destroy(&actions);
  auto deadline = std::chrono::steady_clock::now() + max_wait;
  int status = 0;
  while (std::chrono::steady_clock::now() < deadline && !ready()) {
    if (waitpid(pid, &status, WNOHANG) == pid) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  bool running = waitpid(pid, &status, WNOHANG) == 0;
  ::kill(pid, SIGKILL);
  waitpid(pid, &status, 0);
  // `index` writes in a child process, killed with its parent: it is this process's child now
  // (a subreaper), and gone, with the writer's lock, once reaped.
  while (waitpid(-1, &status, 0) > 0) {
  }
  return running;
}

}  // namespace

TEST_CASE("index --snapshot: a new generation, removals, and the change log", "[e2e][nightly]") {
  test::TempDir dir;
  std::string db = (dir.path() / "db").string();
  REQUIRE(run_cli({"index", "-q", "--db", db, write_studies(dir, "v1.jsonl", 1, 20)}).exit_code ==
          0);
  // Day 2: 1-18 again (1-2 now completed), 21 new, 19-20 gone.
  std::string day2 = write_studies(dir, "v2.jsonl", 3, 18);
  std::ofstream(day2, std::ios::app)
      << test::study_json("NCT00000001", "Lupus nephritis trial 1", "voclosporin", {}, "COMPLETED")
      << "\n"
      << test::study_json("NCT00000002", "Lupus nephritis trial 2", "voclosporin", {}, "COMPLETED")
      << "\n"
      << test::study_json("NCT00000021", "Lupus nephritis trial 21") << "\n";
  auto r = run_cli({"index", "--db", db, "--snapshot", "--json", day2});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(json_count(r.out, "added") == 1);
  CHECK(json_count(r.out, "removed") == 2);
  CHECK(json_count(r.out, "replaced") == 2);
  CHECK(json_count(r.out, "status_changes") == 2);
  CHECK(json_count(r.out, "documents") == 19);
  CHECK(documents(db) == 19);

  auto c = run_cli({"changes", "--db", db});
  CHECK(c.exit_code == 0);
  CHECK_THAT(c.out, Catch::Contains("+ NCT00000021"));
  CHECK_THAT(c.out, Catch::Contains("- NCT00000019"));
  CHECK_THAT(c.out, Catch::Contains("~ NCT00000001 RECRUITING -> COMPLETED"));

  auto j = run_cli({"changes", "--db", db, "--json"});
  REQUIRE(j.exit_code == 0);
  simdjson::dom::parser parser;
  simdjson::dom::array runs = parser.parse(j.out)["changes"];
  REQUIRE(runs.size() == 2);
  CHECK(std::string_view(runs.at(1)["mode"]) == "snapshot");
  CHECK(simdjson::dom::array(runs.at(1)["status_changes"]).size() == 2);

  auto none = run_cli({"changes", "--db", db, "--since", "2999-01-01", "--json"});
  CHECK(none.exit_code == 0);
  CHECK(simdjson::dom::array(parser.parse(none.out)["changes"]).size() == 0);
  CHECK(run_cli({"changes", "--db", db, "--since", "yesterday"}).exit_code == 2);
  CHECK(run_cli({"changes", "--db", (dir.path() / "none").string()}).exit_code == 1);

  // Rollback to the generation before: day 1's 20 trials again.
  auto back = run_cli({"rollback", "--db", db});
  INFO(back.err);
  CHECK(back.exit_code == 0);
  CHECK_THAT(back.err, Catch::Contains("gen-000001"));
  CHECK(documents(db) == 20);
  CHECK(run_cli({"rollback", "--db", db}).exit_code == 1);  // nothing older is kept
  CHECK(run_cli({"rollback", "--db", (dir.path() / "none").string()}).exit_code == 1);
}

TEST_CASE("a snapshot refused (unreadable input) exits 1 and leaves the live index",
          "[e2e][nightly]") {
  test::TempDir dir;
  std::string db = (dir.path() / "db").string();
  std::string v1 = write_studies(dir, "v1.jsonl", 1, 5);
  REQUIRE(run_cli({"index", "-q", "--db", db, v1}).exit_code == 0);
  auto r = run_cli({"index", "--db", db, "--snapshot", v1, (dir.path() / "missing.zip").string()});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains("not published"));
  CHECK(documents(db) == 5);
}

TEST_CASE("kill -9 mid-index leaves a readable database; the next run completes it",
          "[e2e][nightly][kill]") {
  test::TempDir dir;
  std::string db = (dir.path() / "db").string();
  REQUIRE(run_cli({"index", "-q", "--db", db, write_studies(dir, "v1.jsonl", 1, 50)}).exit_code ==
          0);
  std::string big = write_studies(dir, "big.jsonl", 1, 30000);

  // A snapshot killed while it builds: the live generation is untouched.
  bool killed = kill_midway(
      {"index", "-q", "--db", db, "--snapshot", "--max-removed", "100", big},
      [&] { return fs::exists(fs::path(db) / "gen-000002.building"); }, std::chrono::seconds(20));
  CHECK(killed);
  CHECK(documents(db) == 50);
  CHECK(run_cli({"search", "--db", db, "lupus", "--ids"}).exit_code == 0);

  // An update killed midway: the database is at a commit, readable.
  std::this_thread::sleep_for(std::chrono::milliseconds(10));
  kill_midway(
      {"index", "-q", "--db", db, big}, [] { return false; }, std::chrono::milliseconds(700));
  auto mid = documents(db);
  CHECK(mid >= 50);
  CHECK(mid <= 30000);

  // The next runs complete the work and clear the killed build's folder.
  auto r = run_cli({"index", "--db", db, "--json", big});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(documents(db) == 30000);
  r = run_cli({"index", "--db", db, "--snapshot", "--json", big});
  REQUIRE(r.exit_code == 0);
  CHECK(json_count(r.out, "unchanged") == 30000);
  CHECK_FALSE(fs::exists(fs::path(db) / "gen-000002.building"));
}

TEST_CASE("kill -9 after an update's commit: the aliases of the committed trials stay",
          "[e2e][nightly][kill][aliases]") {
  // The upsert commits every 10,000 trials; the next run skips those trials as unchanged, so
  // their alias links must have been committed with them.
  test::TempDir dir;
  std::string db = (dir.path() / "db").string();
  REQUIRE(run_cli({"index", "-q", "--db", db, write_studies(dir, "v1.jsonl", 1, 5)}).exit_code ==
          0);
  auto path = dir.path() / "coded.jsonl";
  {
    std::ofstream out(path);
    for (int i = 1; i <= 10400; ++i) {
      char id[16], code[16];
      std::snprintf(id, sizeof id, "NCT%08d", 100000 + i);
      std::snprintf(code, sizeof code, "ZX-%05d", i);
      out << test::study_json(id, "Trial " + std::to_string(i), "drug" + std::to_string(i), {code})
          << "\n";
    }
  }
  auto committed_over = [&](Xapian::doccount n) {
    return [&db, n] {
      try {
        return Xapian::Database((fs::path(db) / "gen-000001").string()).get_doccount() > n;
      } catch (const Xapian::Error&) {
        return false;
      }
    };
  };
  bool killed = kill_midway({"index", "-q", "--db", db, path.string()}, committed_over(10000),
                            std::chrono::seconds(300));
  if (!killed) {
    WARN("the run ended before the kill: nothing to check");
    return;
  }
  simdjson::dom::parser parser;
  auto runs_of = [&](const test::CommandResult& r) {
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    return std::string(r.out);
  };
  // Before the rerun, `changes` lists the committed trials as an unfinished run.
  std::string before = runs_of(run_cli({"changes", "--db", db, "--json"}));
  simdjson::dom::array runs = parser.parse(before)["changes"];
  REQUIRE(runs.size() == 2);
  CHECK(std::string_view(runs.at(1)["mode"]) == "unfinished");
  CHECK(std::uint64_t(runs.at(1)["added_count"]) >= 10000);
  REQUIRE(run_cli({"index", "-q", "--db", db, path.string()}).exit_code == 0);
  // After it, one update lists every trial of both runs, and nothing is unfinished.
  std::string after = runs_of(run_cli({"changes", "--db", db, "--json"}));
  runs = parser.parse(after)["changes"];
  REQUIRE(runs.size() == 2);
  CHECK(std::string_view(runs.at(1)["mode"]) == "update");
  CHECK(std::uint64_t(runs.at(1)["added_count"]) == 10400);
  simdjson::dom::array added = runs.at(1)["added"];
  CHECK(added.size() == 10400);
  CHECK(std::string_view(added.at(0)) == "NCT00100001");
  // A snapshot after a killed upsert logs the killed run's trials (which it does not see as new).
  std::string more = write_studies(dir, "more.jsonl", 200001, 210400);
  if (!kill_midway({"index", "-q", "--db", db, more}, committed_over(20000),
                   std::chrono::seconds(300)))
    return;  // the run ended before the kill: nothing more to check
  REQUIRE(run_cli({"index", "-q", "--db", db, "--snapshot", "--max-removed", "100", path.string()})
              .exit_code == 0);
  runs = parser.parse(runs_of(run_cli({"changes", "--db", db, "--json"})))["changes"];
  REQUIRE(runs.size() == 4);
  CHECK(std::string_view(runs.at(2)["mode"]) == "update");
  CHECK(std::uint64_t(runs.at(2)["added_count"]) >= 10000);
  CHECK(std::string_view(runs.at(3)["mode"]) == "snapshot");
  for (const char* name : {"ZX-00001", "ZX-09999", "ZX-10400"}) {
    auto r = run_cli({"aliases", "--db", db, "--json", name});
    INFO(name << ": " << r.out << r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(parser.parse(r.out)["aliases"].get_array().size() == 1);
  }
}
