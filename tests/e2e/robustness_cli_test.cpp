// Nothing lost, nothing run, nothing hung: the real binary on damaged inputs, damaged or hostile
// database folders, inputs over Xapian's limits, huge queries and a full disk. Every input is
// built here, in a temporary folder.
#include <sys/mount.h>
#include <unistd.h>

#include <simdjson.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>

#include "tests/support/test_support.hpp"

using namespace trialsearch;
using test::run_cli;
namespace fs = std::filesystem;

namespace {

std::string study_id(int i) {
  char id[16];
  std::snprintf(id, sizeof id, "NCT%08d", i);
  return id;
}

// NDJSON of studies first..last, one a line.
std::string studies(int first, int last) {
  std::string out;
  for (int i = first; i <= last; ++i)
    out += test::study_json(study_id(i), "Lupus nephritis trial " + std::to_string(i)) + "\n";
  return out;
}

std::string write(const fs::path& path, const std::string& content) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << content;
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

bool contains(const std::string& s, std::string_view part) {
  return s.find(part) != std::string::npos;
}

// A database of studies 1..n in `dir`/db, built by the binary.
std::string make_db(const test::TempDir& dir, int n) {
  std::string db = (dir.path() / "db").string();
  auto r = run_cli({"index", "-q", "--db", db, write(dir.path() / "v1.jsonl", studies(1, n))});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return db;
}

}  // namespace

// ---- a snapshot never publishes removals from input it did not read whole ----

TEST_CASE("a snapshot from an NDJSON file cut mid-line is refused; the live index stays",
          "[e2e][snapshot][damaged-input]") {
  test::TempDir dir;
  std::string db = make_db(dir, 10);
  std::string all = studies(1, 10);
  // Cut in the middle of the last record: the download stopped there.
  std::string cut = write(dir.path() / "cut.jsonl", all.substr(0, all.size() - 40));
  auto r = run_cli({"index", "--db", db, "--snapshot", "--max-removed", "100", cut});
  INFO(r.err);
  CHECK(r.exit_code == 1);
  CHECK(contains(r.err, "not published"));
  CHECK(contains(r.err, "cut.jsonl"));
  CHECK(documents(db) == 10);
  // The same file whole is published.
  auto whole = run_cli({"index", "--db", db, "--snapshot", write(dir.path() / "all.jsonl", all)});
  INFO(whole.err);
  CHECK(whole.exit_code == 0);
}

TEST_CASE("a snapshot with an unreadable folder or file is refused; validate names it",
          "[e2e][snapshot][damaged-input]") {
  // chmod 000 does not stop root: as root, run the binary as nobody (setpriv) instead.
  std::vector<std::string> as_user;
  if (::geteuid() == 0) {
    if (!fs::exists("/usr/bin/setpriv")) {
      WARN(
          "skipped: running as root and no setpriv to drop privileges, so chmod 000 cannot "
          "make a file unreadable");
      return;
    }
    as_user = {"/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"};
  }
  test::TempDir dir;
  fs::permissions(dir.path(), fs::perms::all);
  std::string db = (dir.path() / "db").string();
  fs::path src = dir.path() / "src";
  write(src / "a.jsonl", studies(1, 5));
  write(src / "sub" / "b.jsonl", studies(6, 10));
  write(src / "c.jsonl", studies(11, 15));
  if (!as_user.empty())
    for (const auto& e : fs::recursive_directory_iterator(dir.path()))
      REQUIRE(::chown(e.path().c_str(), 65534, 65534) == 0);
  auto first = run_cli({"index", "-q", "--db", db, src.string()}, {}, {}, as_user);
  INFO(first.err);
  REQUIRE(first.exit_code == 0);
  REQUIRE(documents(db) == 15);

  SECTION("an unreadable folder") {
    fs::permissions(src / "sub", fs::perms::none);
    auto v = run_cli({"validate", src.string()}, {}, {}, as_user);
    CHECK(v.exit_code == 1);  // an input that cannot be read, as a missing one
    CHECK(contains(v.err, "sub"));
    auto r = run_cli({"index", "--db", db, "--snapshot", "--max-removed", "100", src.string()}, {},
                     {}, as_user);
    INFO(r.err);
    CHECK(r.exit_code == 1);
    CHECK(contains(r.err, "not published"));
    fs::permissions(src / "sub", fs::perms::owner_all);
  }
  SECTION("an unreadable file") {
    fs::permissions(src / "c.jsonl", fs::perms::none);
    auto v = run_cli({"validate", src.string()}, {}, {}, as_user);
    CHECK(v.exit_code == 1);  // an input that cannot be read, as a missing one
    CHECK(contains(v.err, "c.jsonl"));
    auto r = run_cli({"index", "--db", db, "--snapshot", "--max-removed", "100", src.string()}, {},
                     {}, as_user);
    INFO(r.err);
    CHECK(r.exit_code == 1);
    CHECK(contains(r.err, "not published"));
    fs::permissions(src / "c.jsonl", fs::perms::owner_read | fs::perms::owner_write);
  }
  CHECK(documents(db) == 15);
}

TEST_CASE("symlinks inside a source folder are not followed out of it",
          "[e2e][index][damaged-input]") {
  test::TempDir dir;
  fs::path src = dir.path() / "src";
  write(src / "a.jsonl", studies(1, 3));
  write(dir.path() / "outside" / "secret.jsonl", studies(4, 6));
  fs::create_symlink(dir.path() / "outside" / "secret.jsonl", src / "link.jsonl");
  fs::create_directory_symlink(dir.path() / "outside", src / "linkdir");
  fs::create_symlink(src / "a.jsonl", src / "inside.jsonl");  // inside: read (a duplicate)
  auto r = run_cli({"index", "--db", (dir.path() / "db").string(), "--json", src.string()});
  INFO(r.err);
  CHECK(r.exit_code == 4);  // the links out are skipped inputs, each named
  CHECK(contains(r.err, "link.jsonl: symbolic link to"));
  CHECK(contains(r.err, "linkdir: symbolic link to"));
  CHECK(json_count(r.out, "documents") == 3);
  CHECK(json_count(r.out, "read") == 6);
}

// ---- an upsert never turns a damaged database into a fresh one ----

TEST_CASE("an upsert into a damaged database folder is refused, never recreated",
          "[e2e][index][damaged-db]") {
  test::TempDir dir;
  std::string db = make_db(dir, 5);
  std::string one = write(dir.path() / "one.json", test::study_json("NCT00000099", "One more"));
  fs::path gen = fs::path(db) / "gen-000001";
  std::string expect_named;
  SECTION("the stub names a missing generation") {
    write(fs::path(db) / "XAPIANDB", "auto gen-000007\n");
    expect_named = "gen-000007";
    gen = fs::path(db) / "gen-000007";
  }
  SECTION("the live generation's folder was deleted") {
    fs::remove_all(gen);
    expect_named = "gen-000001";
  }
  SECTION("postlist.glass was deleted") {
    fs::remove(gen / "postlist.glass");
    expect_named = "gen-000001";
  }
  auto r = run_cli({"index", "--db", db, one});
  INFO(r.err);
  CHECK(r.exit_code == 1);
  CHECK(contains(r.err, expect_named));
  CHECK_FALSE(fs::exists(gen / "postlist.glass"));
}

// ---- terms over Xapian's limits never abort a run ----

TEST_CASE("words, names and countries over Xapian's term limits are indexed, not fatal",
          "[e2e][index][limits]") {
  test::TempDir dir;
  const std::string long_word(300, 'a');
  const std::string long_name = "drug " + std::string(290, 'x');
  std::string lines = test::study_json("NCT00000001", "Title " + long_word + " lupus") + "\n" +
                      test::study_json("NCT00000002", "Lupus trial", long_name) + "\n";
  std::string country_study =
      R"({"protocolSection":{"identificationModule":{"nctId":"NCT00000003","briefTitle":"Lupus"},)"
      R"("contactsLocationsModule":{"locations":[{"facility":"F","city":"C","country":")" +
      std::string(300, 'q') + R"("}]}}})";
  lines += country_study + "\n" + studies(4, 6);
  std::string db = (dir.path() / "db").string();
  std::string src = write(dir.path() / "long.jsonl", lines);
  auto r = run_cli({"index", "--db", db, "--json", src});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(documents(db) == 6);
  // The update path too (the shard builder built the first generation).
  auto again = run_cli({"index", "--db", (dir.path() / "flat").string(), "--json",
                        write(dir.path() / "first.jsonl", studies(10, 11))});
  REQUIRE(again.exit_code == 0);
  auto upsert = run_cli({"index", "--db", (dir.path() / "flat").string(), "--json", src});
  INFO(upsert.err);
  CHECK(upsert.exit_code == 0);
  CHECK(documents((dir.path() / "flat").string()) == 8);
  auto found = run_cli({"search", "--db", db, "--ids", "lupus"});
  CHECK(found.exit_code == 0);
  CHECK(contains(found.out, "NCT00000002"));
}

// ---- NDJSON read by line, whatever the first lines are ----

TEST_CASE("NDJSON: a first record over 64 KB, a BOM, bad lines among the first two",
          "[e2e][index][ndjson]") {
  test::TempDir dir;
  const std::string big =
      test::study_json("NCT00000001", "Big " + std::string(100 * 1024, 'b') + " lupus");
  struct Case {
    std::string name, content;
    std::uint64_t documents;
    std::string skipped_line;  // empty: no skip
  };
  std::vector<Case> cases{
      {"big-first.jsonl", big + "\n" + studies(2, 3), 3, ""},
      {"bom.jsonl", "\xef\xbb\xbf" + studies(1, 3), 3, ""},
      {"garbage-first.jsonl", "garbage here\n" + studies(2, 4), 3, "line 1"},
      {"nul-second.jsonl", studies(1, 1) + std::string("\0\0\0", 3) + "\n" + studies(3, 4), 3,
       "line 2"},
      {"truncated-second.jsonl", studies(1, 1) + studies(2, 2).substr(0, 30) + "\n" + studies(3, 4),
       3, "line 2"},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    std::string db = (dir.path() / ("db-" + c.name)).string();
    auto r = run_cli({"index", "--db", db, "--json", write(dir.path() / c.name, c.content)});
    INFO(r.err);
    CHECK(r.exit_code == (c.skipped_line.empty() ? 0 : 4));
    if (!c.skipped_line.empty()) CHECK(contains(r.err, c.name + ":" + c.skipped_line));
    CHECK(json_count(r.out, "documents") == c.documents);
  }
}

// ---- --lexicon takes one file ----

TEST_CASE("--lexicon FILE SOURCE: the source is a source, not a second lexicon",
          "[e2e][index][lexicon]") {
  test::TempDir dir;
  std::string lexicon = write(dir.path() / "aliases.tsv", "zorblimab\tZB-1234\n");
  std::string src = write(dir.path() / "s.jsonl", studies(1, 3));
  std::string src2 = write(dir.path() / "s2.jsonl", studies(4, 6));
  auto r = run_cli(
      {"index", "--json", "--lexicon", lexicon, src, src2, "--db", (dir.path() / "db").string()});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(json_count(r.out, "inputs") == 2);
  CHECK(json_count(r.out, "documents") == 6);
  // repeated, each --lexicon takes its one file
  auto two = run_cli({"index", "--json", "--db", (dir.path() / "db2").string(), "--lexicon",
                      lexicon, "--lexicon", lexicon, src, src2});
  INFO(two.err);
  CHECK(two.exit_code == 0);
  CHECK(json_count(two.out, "inputs") == 2);
}

// ---- the stub file is ours, and runs nothing ----

TEST_CASE("a stub file with anything but `auto gen-NNNNNN` is refused, and runs nothing",
          "[e2e][db][stub]") {
  test::TempDir dir;
  std::string db = make_db(dir, 3);
  const fs::path marker = dir.path() / "ran";
  const fs::path stub = fs::path(db) / "XAPIANDB";
  std::string one = write(dir.path() / "one.json", test::study_json("NCT00000099", "One more"));
  const std::vector<std::string> stubs{
      "remote :/usr/bin/touch " + marker.string() + "\n",
      "auto gen-000001\nremote :/usr/bin/touch " + marker.string() + "\n", "auto ../../elsewhere\n",
      "auto /etc\n", "inmemory\n"};
  for (const auto& content : stubs) {
    INFO(content);
    write(stub, content);
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"stats", "--db", db},
          std::vector<std::string>{"search", "--db", db, "lupus"},
          std::vector<std::string>{"stats", "--db", stub.string()},
          std::vector<std::string>{"show", "--db", db, "NCT00000001"},
          std::vector<std::string>{"index", "--db", db, one},
          std::vector<std::string>{"index", "--db", db, "--snapshot", one},
          std::vector<std::string>{"rollback", "--db", db}}) {
      INFO(args[0]);
      auto r = run_cli(args);
      CHECK(r.exit_code == 1);
      CHECK(contains(r.err, "XAPIANDB"));
      CHECK_FALSE(fs::exists(marker));
    }
  }
  // A stub file named directly as --db, outside any database folder.
  std::string loose = write(dir.path() / "loose", "remote :/usr/bin/touch " + marker.string());
  auto r = run_cli({"stats", "--db", loose});
  CHECK(r.exit_code == 1);
  CHECK_FALSE(fs::exists(marker));
}

// ---- a huge query is refused at once ----

TEST_CASE("a query over the word limit is refused with one line; one at the limit runs",
          "[e2e][search][limits]") {
  test::TempDir dir;
  std::string db = make_db(dir, 3);
  std::mt19937 rng(19);
  auto random_words = [&](int n, std::string_view joint = " ") {
    std::string q;
    for (int i = 0; i < n; ++i) {
      if (i) q += joint;
      for (int k = 0; k < 8; ++k) q += static_cast<char>('a' + rng() % 26);
    }
    return q;
  };
  // With operators, 64 words at most.
  auto at_limit = run_cli({"search", "--db", db, "--json", random_words(32, " OR ")});
  INFO(at_limit.err);
  CHECK(at_limit.exit_code == 0);
  auto over = run_cli({"search", "--db", db, random_words(33, " OR ") + " OR title:x"});
  CHECK(over.exit_code == 2);
  CHECK(std::count(over.err.begin(), over.err.end(), '\n') == 1);
  CHECK(contains(over.err, "at most 64 with operators or fields"));
  // words however joined: a-b-c is three; a field makes it a query, not pasted text
  CHECK(run_cli({"search", "--db", db,
                 "title:a-b-c-d-e-f-g-h-i-j-k-l-m-n-o-p-q-r-s-t-u-v-w-x-y-z-a-b-c-d-e-"
                 "f-g-h-i-j-k-l-m-n-o-p-q-r-s-t-u-v-w-x-y-z-a-b-c-d-e-f-g-h-i-"
                 "j-k-l-m"})
            .exit_code == 2);
  // Plain text (pasted) is read up to 5,000 words, of which the 64 rarest are scored.
  auto pasted = run_cli({"search", "--db", db, "--json", random_words(5000)});
  INFO(pasted.err);
  CHECK(pasted.exit_code == 0);
  auto huge = run_cli({"search", "--db", db, random_words(5001)});
  CHECK(huge.exit_code == 2);
  CHECK(contains(huge.err, "at most 5000"));
  std::string wild16, wild17;
  for (int i = 0; i < 16; ++i) wild16 += std::string(1, static_cast<char>('a' + i)) + "x* ";
  wild17 = wild16 + "zz*";
  CHECK(run_cli({"search", "--db", db, wild16}).exit_code == 0);
  auto broad = run_cli({"search", "--db", db, wild17});
  CHECK(broad.exit_code == 2);
  CHECK(contains(broad.err, "at most 16"));
  auto help = run_cli({"search", "--help"});
  CHECK(contains(help.out, "at most 64"));
  CHECK(contains(help.out, "5000 as plain text"));
}

// ---- a full disk is named ----

TEST_CASE("a full disk is named, with the folder, and a failed build leaves no shards",
          "[e2e][index][disk-full]") {
  test::TempDir dir;
  fs::path mnt = dir.path() / "small";
  fs::create_directories(mnt);
  if (::mount("tmpfs", mnt.c_str(), "tmpfs", 0, "size=40m") != 0) {
    WARN("skipped: cannot mount a small tmpfs here (needs root): " << std::strerror(errno));
    return;
  }
  struct Unmount {
    fs::path path;
    ~Unmount() { ::umount2(path.c_str(), MNT_DETACH); }
  } unmount{mnt};
  // Fills the disk but for `left` bytes.
  auto fill = [&](std::uintmax_t left) {
    std::uintmax_t n = fs::space(mnt).available - left;
    std::ofstream(mnt / "filler", std::ios::binary) << std::string(n, '\0');
  };
  std::string big = write(dir.path() / "big.jsonl", studies(1, 6000));
  std::string db = (mnt / "db").string();
  fill(1 << 20);
  auto r = run_cli({"index", "--db", db, "--threads", "2", big});
  INFO(r.err);
  CHECK(r.exit_code == 1);
  CHECK(contains(r.err, "disk is full"));
  CHECK(contains(r.err, mnt.string()));
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') <= 2);
  for (const auto& e : fs::directory_iterator(db)) {
    INFO(e.path());
    CHECK_FALSE(contains(e.path().filename().string(), ".building"));
  }
  // An update that fills the disk is named too.
  fs::remove(mnt / "filler");
  fs::remove_all(db);
  REQUIRE(run_cli({"index", "-q", "--db", db, write(dir.path() / "few.jsonl", studies(1, 5))})
              .exit_code == 0);
  fill(512 << 10);
  auto up = run_cli({"index", "--db", db, big});
  INFO(up.err);
  CHECK(up.exit_code == 1);
  CHECK(contains(up.err, "disk is full"));
  CHECK(contains(up.err, mnt.string()));
  fs::remove(mnt / "filler");
  CHECK(documents(db) >= 5);  // at its last commit, readable
}

// ---- an empty --db, binary ids on stdin, the rollback target ----

TEST_CASE("--db '' is refused, not taken as the default database", "[e2e][db]") {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"stats", "--db", ""},
        std::vector<std::string>{"search", "--db", "", "lupus"},
        std::vector<std::string>{"index", "--db", "", "corpus"}}) {
    INFO(args[0]);
    auto r = run_cli(args, {}, {"TRIALSEARCH_DB=/nonexistent/should-not-be-used"});
    CHECK(r.exit_code == 2);
    CHECK(contains(r.err, "--db"));
  }
}

TEST_CASE("similar - with binary standard input shows a sanitised, short id", "[e2e][similar]") {
  test::TempDir dir;
  std::string db = make_db(dir, 3);
  std::string junk = "\x1b[31m" + std::string(5000, 'z') + std::string("\0\x07\xff", 3) + "\n";
  auto r = run_cli({"similar", "--db", db, "-"}, junk);
  CHECK(r.exit_code != 0);
  CHECK(r.err.find('\x1b') == std::string::npos);
  CHECK(r.err.find('\0') == std::string::npos);
  CHECK(r.err.size() < 400);
}

TEST_CASE("rollback goes to the generation live before, not to one never published",
          "[e2e][snapshot][rollback]") {
  test::TempDir dir;
  std::string db = make_db(dir, 5);  // gen-000001: 5 trials
  auto v2 = run_cli({"index", "-q", "--db", db, "--snapshot",
                     write(dir.path() / "v2.jsonl", studies(1, 6))});  // gen-000002: 6
  REQUIRE(v2.exit_code == 0);
  // A snapshot killed between renaming its generation into place and switching the stub.
  fs::copy(fs::path(db) / "gen-000002", fs::path(db) / "gen-000003");
  auto v4 = run_cli({"index", "-q", "--db", db, "--snapshot",
                     write(dir.path() / "v4.jsonl", studies(1, 7))});  // gen-000004: 7
  INFO(v4.err);
  REQUIRE(v4.exit_code == 0);
  REQUIRE(documents(db) == 7);
  auto back = run_cli({"rollback", "--db", db});
  INFO(back.err);
  CHECK(back.exit_code == 0);
  CHECK(contains(back.err, "gen-000002"));
  CHECK(documents(db) == 6);
}
// ---- a damaged database: Xapian's errors name it; readers never crash ----

TEST_CASE("a database with flipped bytes or truncated tables: exit 1 naming it, never a crash",
          "[e2e][damaged-db]") {
  test::TempDir dir;
  std::string db = (dir.path() / "db").string();
  REQUIRE(run_cli({"index", "-q", "--db", db, write(dir.path() / "v1.jsonl", studies(1, 2000))})
              .exit_code == 0);
  std::string one = write(dir.path() / "one.json", test::study_json("NCT09999999", "One more"));
  for (std::string table : {"postlist", "position", "termlist", "docdata"}) {
    for (bool flip : {false, true}) {
      for (unsigned seed : {1u, 2u, 3u}) {
        INFO(table << (flip ? " flipped, seed " : " truncated, seed ") << seed);
        std::string copy = (dir.path() / "copy").string();
        fs::remove_all(copy);
        fs::copy(db, copy, fs::copy_options::recursive);
        fs::path file = fs::path(copy) / "gen-000001" / (table + ".glass");
        std::string bytes = test::read_file(file);
        std::mt19937 rng(seed);
        if (flip) {
          for (int i = 0; i < 200; ++i)
            bytes[rng() % bytes.size()] ^= static_cast<char>(1 << (rng() % 8));
        } else {
          bytes.resize(rng() % bytes.size());
        }
        std::ofstream(file, std::ios::binary | std::ios::trunc) << bytes;
        std::vector<std::vector<std::string>> commands{
            {"search", "--db", copy, "--ids", "lupus"},
            {"search", "--db", copy, "--json", "nephritis trial"},
            {"stats", "--db", copy},
            {"show", "--db", copy, "NCT00000005"},
            {"similar", "--db", copy, "NCT00000005"}};
        // Xapian 1.4.22's WritableDatabase::commit() can crash (SIGSEGV, double free) on flipped
        // bytes in postlist.glass or position.glass: the index command writes in a child
        // process, whose crash is reported naming the database.
        commands.push_back({"index", "--db", copy, one});
        // Under AddressSanitizer Xapian's double free is a report and exit 1 unless it aborts,
        // which the writer's parent then reports as a crash, as in a release build.
        const char* asan = std::getenv("ASAN_OPTIONS");
        std::vector<std::string> env{"ASAN_OPTIONS=" + std::string(asan ? asan : "") +
                                     ":abort_on_error=1"};
        for (const auto& args : commands) {
          INFO(args[0]);
          auto r = run_cli(args, {}, env);
          INFO(r.err);
          CHECK((r.exit_code == 0 || r.exit_code == 1));
          if (r.exit_code == 1) CHECK(contains(r.err, "gen-000001"));
        }
      }
    }
  }
}
