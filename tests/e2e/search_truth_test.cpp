// Search that tells the truth on a terminal (issue 17): counts and paging that do not move with
// the page asked for, a query language that refuses what it cannot read, and terminal output.
// The real binary, checked through --json and exit codes (the human format only where the
// defect is in it).
#include <simdjson.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <numeric>
#include <set>
#include <sstream>

#include "analyzers/fields.hpp"
#include "tests/support/test_support.hpp"

using namespace trialsearch;
using test::run_cli;

namespace {

// What a pipe gets (cli/terminal.hpp's kPipedWidth; the test sees only the binary).
constexpr std::size_t kPipedWidth = 100;

std::string fmt_id(int i) {
  std::string n = std::to_string(i);
  return "NCT0880" + std::string(4 - n.size(), '0') + n;
}

// Generated trials: enough of them, in enough combinations of a few words, that Xapian's
// estimates and the page-by-page tiers would show in the counts.
const std::string& generated_db() {
  static test::TempDir dir;
  static std::string db = [] {
    auto src = dir.path() / "generated.jsonl";
    std::ofstream out(src);
    const char* titles[] = {"Lupus nephritis in adults", "Nephritis and lupus in children",
                            "Lupus arthritis", "Rituximab for lupus nephritis",
                            "Kidney disease and lupus"};
    const char* statuses[] = {"RECRUITING", "COMPLETED", "NOT_YET_RECRUITING"};
    for (int i = 0; i < 150; ++i)
      out << test::study_json(fmt_id(i), std::string(titles[i % 5]) + " " + std::to_string(i),
                              i % 4 == 0 ? "rituximab" : "placebo", {}, statuses[i % 3])
          << "\n";
    out.close();
    std::string path = (dir.path() / "db").string();
    auto r = run_cli({"index", "--db", path, src.string()});
    REQUIRE(r.exit_code == 0);
    return path;
  }();
  return db;
}

simdjson::dom::element parse(simdjson::dom::parser& parser, const std::string& json) {
  return parser.parse(json);
}

struct Page {
  std::uint64_t total = 0;
  bool exact = false;
  std::vector<std::string> ids;
  std::vector<std::uint64_t> ranks;
  bool did_you_mean = false;
};

Page search_page(const std::string& db, std::vector<std::string> args) {
  args.insert(args.begin(), {"search", "--db", db, "--json"});
  auto r = run_cli(args);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  simdjson::dom::parser parser;
  auto doc = parse(parser, r.out);
  Page p;
  p.total = doc["total"];
  p.exact = doc["total_exact"];
  for (auto hit : doc["results"].get_array()) {
    p.ids.emplace_back(std::string_view(hit["nct_id"]));
    p.ranks.push_back(std::uint64_t(hit["rank"]));
  }
  std::string_view dym;
  p.did_you_mean = doc["did_you_mean"].get(dym) == simdjson::SUCCESS;
  return p;
}

}  // namespace

TEST_CASE("the count does not move with --limit or --facets, and is exact", "[e2e][counts]") {
  for (const std::string q : {"\"lupus nephritis\"", "lupus nephritis", "lupus", "rituximab lupus",
                              "arthritis OR kidney", "status:recruiting"}) {
    INFO(q);
    Page all = search_page(generated_db(), {"--limit", "1000", q});
    REQUIRE(!all.ids.empty());
    CHECK(all.exact);
    CHECK(all.total == all.ids.size());
    CHECK_FALSE(all.did_you_mean);
    for (std::vector<std::string> extra : {std::vector<std::string>{"--limit", "0"},
                                           {"--limit", "1"},
                                           {"--limit", "3"},
                                           {"--limit", "1", "--facets", "status"},
                                           {"--limit", "0", "--facets", "status"}}) {
      INFO(extra[1]);
      extra.push_back(q);
      Page p = search_page(generated_db(), extra);
      CHECK(p.total == all.total);
      CHECK(p.exact);
      CHECK_FALSE(p.did_you_mean);  // something matched: no suggestion, even on an empty page
    }
  }
}

TEST_CASE("a page with hits never says that nothing matches", "[e2e][counts]") {
  for (const std::string limit : {"1", "3"}) {
    auto r = run_cli({"search", "--db", generated_db(), "--limit", limit, "\"lupus nephritis\""});
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("No trials match") == std::string::npos);
    CHECK(r.out.find("  1. NCT") != std::string::npos);
  }
  auto none = run_cli({"search", "--db", generated_db(), "--limit", "0", "\"lupus nephritis\""});
  REQUIRE(none.exit_code == 0);
  CHECK(none.out.find("No trials match") == std::string::npos);
  CHECK(none.out.find("Did you mean") == std::string::npos);
}

TEST_CASE("--offset: hits are numbered from the offset, once", "[e2e][counts]") {
  Page all = search_page(generated_db(), {"--limit", "1000", "lupus"});
  REQUIRE(all.ids.size() > 13);
  Page page = search_page(generated_db(), {"--limit", "3", "--offset", "10", "lupus"});
  CHECK(page.ranks == std::vector<std::uint64_t>{11, 12, 13});
  CHECK(page.ids == std::vector<std::string>(all.ids.begin() + 10, all.ids.begin() + 13));

  auto csv = run_cli(
      {"search", "--db", generated_db(), "--csv", "--limit", "3", "--offset", "10", "lupus"});
  REQUIRE(csv.exit_code == 0);
  CHECK(csv.out.find("\n11,") != std::string::npos);
  CHECK(csv.out.find("\n21,") == std::string::npos);

  auto human =
      run_cli({"search", "--db", generated_db(), "--limit", "3", "--offset", "10", "lupus"});
  REQUIRE(human.exit_code == 0);
  CHECK(human.out.find("(showing 11-13)") != std::string::npos);
  CHECK(human.out.find(" 11. " + all.ids[10]) != std::string::npos);
  CHECK(human.out.find(" 21. ") == std::string::npos);
}

TEST_CASE("one match is \"1 trial matches\"", "[e2e][counts]") {
  auto r = run_cli({"search", "--db", generated_db(), "\"lupus arthritis 7\""});
  REQUIRE(r.exit_code == 0);
  Page p = search_page(generated_db(), {"\"lupus arthritis 7\""});
  REQUIRE(p.total == 1);
  CHECK(r.out.find("1 trial matches (showing 1-1)") != std::string::npos);
}

namespace {

// The bundled corpus (the lupus-area records and the seeds).
const std::string& corpus_db() {
  static test::TempDir dir;
  static std::string db = [] {
    std::string path = (dir.path() / "db").string();
    auto r = run_cli({"index", "--db", path, test::corpus_dir().string()});
    REQUIRE(r.exit_code == 0);
    return path;
  }();
  return db;
}

std::vector<std::string> ids_of(const std::string& db, std::vector<std::string> args) {
  return search_page(db,
                     [&] {
                       args.insert(args.begin(), {"--limit", "1000"});
                       return args;
                     }())
      .ids;
}

std::size_t lines(const std::string& text) { return std::count(text.begin(), text.end(), '\n'); }

}  // namespace

TEST_CASE("a name before a colon that is no field is refused, naming the fields", "[e2e][query]") {
  for (const std::string q : {"sponser:Pfizer", "lupus class:industry"}) {
    INFO(q);
    auto r = run_cli({"search", "--db", corpus_db(), q});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("unknown field") != std::string::npos);
    CHECK(r.err.find("sponsor") != std::string::npos);
    CHECK(r.err.find("cond") != std::string::npos);
    CHECK(lines(r.err) == 1);
  }
  auto near = run_cli({"search", "--db", corpus_db(), "sponser:Pfizer"});
  CHECK(near.err.find("did you mean 'sponsor:'") != std::string::npos);
  // a colon in ordinary text is text
  for (const std::string q : {"lupus visit at 10:30", "lupus: kidney", "NCT05869955:"}) {
    INFO(q);
    CHECK(run_cli({"search", "--db", corpus_db(), "--ids", q}).exit_code == 0);
  }
  // a pasted trial page finds that trial, first
  for (const std::string url : {"https://clinicaltrials.gov/study/NCT05869955",
                                "https://clinicaltrials.gov/ct2/show/NCT05869955?term=lupus"}) {
    INFO(url);
    auto ids = ids_of(corpus_db(), {url});
    REQUIRE(!ids.empty());
    CHECK(ids.front() == "NCT05869955");
  }
}

TEST_CASE("unbalanced parentheses and empty ranges are refused", "[e2e][query]") {
  for (const std::string q : {"title:(unclosed", "(lupus OR belimumab", "lupus)",
                              "start:2025..2023", "enrollment:500..100"}) {
    INFO(q);
    auto r = run_cli({"search", "--db", corpus_db(), q});
    CHECK(r.exit_code == 2);
    CHECK(lines(r.err) == 1);
  }
  CHECK(run_cli({"search", "--db", corpus_db(), "start:2023..2025"}).exit_code == 0);
  CHECK(run_cli({"search", "--db", corpus_db(), "title:(lupus OR sclerosis)"}).exit_code == 0);
  CHECK(run_cli({"search", "--db", corpus_db(), "\"lupus)\""}).exit_code == 0);
}

TEST_CASE("search --help and the README name every field, filter and range of the schema",
          "[e2e][query]") {
  auto help = run_cli({"search", "--help"});
  REQUIRE(help.exit_code == 0);
  std::string readme = test::read_file(test::source_dir() / "README.md");
  for (const auto& f : kFields) {
    std::string_view names = f.query_names;
    while (!names.empty()) {
      auto sp = std::min(names.find(' '), names.size());
      std::string name = std::string(names.substr(0, sp)) + ":";
      INFO(name);
      CHECK(help.out.find(" " + name) != std::string::npos);
      CHECK(readme.find(" " + name) != std::string::npos);
      names.remove_prefix(std::min(sp + 1, names.size()));
    }
    CHECK(help.out.find(std::string(f.help)) != std::string::npos);
  }
  for (const auto& r : kRanges) {
    INFO(r.name);
    CHECK(help.out.find(" " + std::string(r.name) + ":") != std::string::npos);
    CHECK(readme.find(" " + std::string(r.name) + ":") != std::string::npos);
  }
}

TEST_CASE("--results, --age-group, --funder-type filter as their fields do", "[e2e][query]") {
  const auto all = ids_of(corpus_db(), {""});
  const auto with = ids_of(corpus_db(), {"--results", "yes", ""});
  const auto without = ids_of(corpus_db(), {"--results", "no", ""});
  CHECK(with.size() + without.size() == all.size());
  CHECK(with == ids_of(corpus_db(), {"results:yes"}));
  CHECK(without == ids_of(corpus_db(), {"results:no"}));
  auto adults = ids_of(corpus_db(), {"--age-group", "adult", ""});
  CHECK(!adults.empty());
  CHECK(adults == ids_of(corpus_db(), {"agegroup:adult"}));
  CHECK(ids_of(corpus_db(), {"--age-group", "older-adult,child", ""}) ==
        ids_of(corpus_db(), {"agegroup:\"older adult\" OR agegroup:child"}));
  auto industry = ids_of(corpus_db(), {"--funder-type", "industry", ""});
  CHECK(!industry.empty());
  CHECK(industry == ids_of(corpus_db(), {"sponsorclass:industry"}));
  for (std::vector<std::string> bad : {std::vector<std::string>{"--funder-type", "pharma"},
                                       {"--age-group", "teen"},
                                       {"--results", "maybe"}}) {
    INFO(bad[0]);
    bad.insert(bad.begin(), {"search", "--db", corpus_db()});
    bad.push_back("lupus");
    CHECK(run_cli(bad).exit_code == 2);
  }
}

TEST_CASE("--country takes ISO 3166 names and codes, USA and UK; refuses unknown countries",
          "[e2e][query]") {
  auto us = ids_of(corpus_db(), {"--country", "United States", ""});
  REQUIRE(!us.empty());
  for (const std::string c : {"USA", "US", "usa", "United States of America"}) {
    INFO(c);
    CHECK(ids_of(corpus_db(), {"--country", c, ""}) == us);
  }
  CHECK(ids_of(corpus_db(), {"country:USA"}) == us);
  auto uk = ids_of(corpus_db(), {"--country", "United Kingdom", ""});
  REQUIRE(!uk.empty());
  for (const std::string c : {"UK", "GB", "GBR"})
    CHECK(ids_of(corpus_db(), {"--country", c, ""}) == uk);
  auto de = ids_of(corpus_db(), {"--country", "Germany", ""});
  REQUIRE(!de.empty());
  CHECK(ids_of(corpus_db(), {"--country", "DE", ""}) == de);
  CHECK(ids_of(corpus_db(), {"--country", "deu", ""}) == de);
  for (std::vector<std::string> args :
       {std::vector<std::string>{"--country", "Atlantis", "lupus"}, {"country:atlantis lupus"}}) {
    args.insert(args.begin(), {"search", "--db", corpus_db()});
    auto r = run_cli(args);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("unknown country '") != std::string::npos);
    CHECK(r.err.find("tlantis'") != std::string::npos);
    CHECK(lines(r.err) == 1);
  }
  // a name with a comma survives --country's comma-separated list
  CHECK(run_cli({"search", "--db", corpus_db(), "--country", "Korea, Republic of", "lupus"})
            .exit_code == 0);
}

TEST_CASE("lower-case stopwords are not scored: `lupus and rituximab` ranks as `lupus rituximab`",
          "[e2e][query]") {
  for (auto [with, without] :
       {std::pair<std::string, std::string>{"lupus and rituximab", "lupus rituximab"},
        {"the nephritis of lupus", "nephritis lupus"},
        {"lupus or kidney", "lupus kidney"}}) {
    INFO(with);
    auto expected = ids_of(generated_db(), {without});
    REQUIRE(!expected.empty());
    CHECK(ids_of(generated_db(), {with}) == expected);
  }
}

TEST_CASE("a misspelt word among several: the whole corrected query, said first",
          "[e2e][spelling]") {
  auto r = run_cli({"search", "--db", corpus_db(), "--json", "systemic lupus erythmatosus"});
  REQUIRE(r.exit_code == 0);
  simdjson::dom::parser parser;
  auto doc = parser.parse(r.out);
  CHECK(std::string_view(doc["did_you_mean"]) == "systemic lupus erythematosus");
  CHECK_FALSE(bool(doc["all_words_matched"]));
  std::uint64_t corrected_matches = doc["did_you_mean_matches"];
  CHECK(corrected_matches ==
        ids_of(corpus_db(), {"--match", "all", "systemic lupus erythematosus"}).size());
  auto human = run_cli({"search", "--db", corpus_db(), "systemic lupus erythmatosus"});
  CHECK(human.out.find("Did you mean: systemic lupus erythematosus") <
        human.out.find("trials match"));
  // words the index holds are never "corrected" into others
  auto fine = search_page(corpus_db(), {"--limit", "0", "systemic lupus erythematosus"});
  CHECK_FALSE(fine.did_you_mean);
}

TEST_CASE("ClinicalTrials.gov's AREA[...] syntax is read as our fields, or refused",
          "[e2e][query]") {
  for (auto [expert, ours] :
       {std::pair<std::string, std::string>{"AREA[Condition]lupus", "cond:lupus"},
        {"AREA[InterventionName]\"CC-97540\"", "drug:\"CC-97540\""},
        {"AREA[OverallStatus]RECRUITING", "status:recruiting"},
        {"AREA[StartDate]RANGE[2023-01-01,MAX]", "start:2023-01-01.."},
        {"AREA[StartDate]RANGE[MIN, 2020-12-31]", "start:..2020-12-31"},
        {"AREA[Phase]PHASE3", "phase:3"},
        {"AREA[LocationCountry]Germany", "country:germany"},
        {"lupus AND AREA[LocationCountry]\"United States\"",
         "lupus AND country:\"united states\""}}) {
    INFO(expert);
    auto expected = ids_of(corpus_db(), {ours});
    CHECK(!expected.empty());
    CHECK(ids_of(corpus_db(), {expert}) == expected);
  }
  for (const std::string q :
       {"AREA[DesignMasking]DOUBLE", "SEARCH[Location](AREA[LocationCity]Boston)"}) {
    INFO(q);
    auto r = run_cli({"search", "--db", corpus_db(), q});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("InterventionName") != std::string::npos);
    CHECK(lines(r.err) == 1);
  }
}

namespace {

// Runs `trialsearch ARGS...` under a pseudo-terminal `columns` wide (script(1)), with `env`
// assignments; returns what the terminal showed, carriage returns removed.
std::string run_in_terminal(const std::vector<std::string>& args, int columns,
                            const std::vector<std::string>& env) {
  test::TempDir dir;
  auto quoted = [](const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
  };
  std::ofstream script(dir.path() / "run.sh");
  script << "stty cols " << columns << "\nexec env";
  for (const auto& e : env) script << " " << quoted(e);
  script << " " << quoted(test::binary());
  for (const auto& a : args) script << " " << quoted(a);
  script << "\n";
  script.close();
  auto out = dir.path() / "out";
  std::string cmd = "script -qc " + quoted("sh " + (dir.path() / "run.sh").string()) +
                    " /dev/null > " + quoted(out.string()) + " 2>&1 </dev/null";
  REQUIRE(std::system(cmd.c_str()) == 0);
  std::string text = test::read_file(out);
  text.erase(std::remove(text.begin(), text.end(), '\r'), text.end());
  return text;
}

// Display columns of each line: UTF-8 characters, ANSI colour sequences left out.
std::vector<std::size_t> line_widths(const std::string& text) {
  std::vector<std::size_t> widths{0};
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') {
      widths.push_back(0);
    } else if (text[i] == '\x1b') {
      while (i < text.size() && text[i] != 'm') ++i;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++widths.back();
    }
  }
  return widths;
}

std::size_t widest(const std::string& text) {
  auto w = line_widths(text);
  return *std::max_element(w.begin(), w.end());
}

}  // namespace

TEST_CASE("a terminal gets lines as wide as it is, in colour; a pipe gets 100 columns",
          "[e2e][terminal]") {
  const std::vector<std::string> search{"search", "--db", corpus_db(), "--limit", "5", "lupus"};
  for (int columns : {60, 80}) {
    INFO(columns);
    auto shown = run_in_terminal(search, columns, {"TERM=xterm", "NO_COLOR="});
    CHECK(shown.find("lupus") != std::string::npos);
    CHECK(widest(shown) <= std::size_t(columns));
    CHECK(shown.find('\x1b') != std::string::npos);
  }
  // a wide terminal is used: snippets are longer than 60 columns there
  CHECK(widest(run_in_terminal(search, 160, {"TERM=xterm"})) > 60);
  CHECK(run_in_terminal(search, 80, {"TERM=dumb"}).find('\x1b') == std::string::npos);
  CHECK(run_in_terminal(search, 80, {"TERM=xterm", "NO_COLOR=1"}).find('\x1b') ==
        std::string::npos);
  auto piped = run_cli(search);
  REQUIRE(piped.exit_code == 0);
  CHECK(widest(piped.out) <= kPipedWidth);
  CHECK(widest(piped.out) > 60);
  CHECK(piped.out.find('\x1b') == std::string::npos);
}

TEST_CASE("the human output shows labels; JSON keeps the API values", "[e2e][terminal]") {
  auto human = run_cli({"search", "--db", corpus_db(), "--limit", "50", ""});
  REQUIRE(human.exit_code == 0);
  CHECK(human.out.find("Not yet recruiting") != std::string::npos);
  CHECK(human.out.find("NOT_YET_RECRUITING") == std::string::npos);
  CHECK(human.out.find("NCT09900001  Recruiting  Phase 2/3  ") != std::string::npos);
  CHECK(human.out.find("PHASE") == std::string::npos);
  auto json = run_cli({"search", "--db", corpus_db(), "--json", "--limit", "50", ""});
  CHECK(json.out.find("\"NOT_YET_RECRUITING\"") != std::string::npos);
  CHECK(json.out.find("\"PHASE2\"") != std::string::npos);
  auto show = run_cli({"show", "--db", corpus_db(), "NCT09900001"});
  CHECK(show.out.find("Phase 2/3") != std::string::npos);
}

TEST_CASE("facets: a table per facet, labelled, most frequent first, top 10 and the rest",
          "[e2e][terminal]") {
  auto json = run_cli({"search", "--db", corpus_db(), "--json", "--facets", "country", ""});
  REQUIRE(json.exit_code == 0);
  simdjson::dom::parser parser;
  auto countries = parser.parse(json.out)["facets"]["country"].get_array();
  std::vector<std::uint64_t> counts;
  for (auto c : countries) counts.push_back(std::uint64_t(c["count"]));
  REQUIRE(counts.size() > 10);  // the corpus has trials in more than 10 countries
  auto human = run_cli({"search", "--db", corpus_db(), "--limit", "0", "--facets", "country", ""});
  REQUIRE(human.exit_code == 0);
  auto at = human.out.find("\ncountry (");
  REQUIRE(at != std::string::npos);
  std::vector<std::uint64_t> shown;
  std::string more;
  std::istringstream rows(human.out.substr(at + 1));
  std::string row;
  std::getline(rows, row);  // the heading
  while (std::getline(rows, row) && row.rfind("  ", 0) == 0) {
    auto last = row.find_last_of(' ');
    shown.push_back(std::stoull(row.substr(last + 1)));
    if (row.find(" more") != std::string::npos) more = row;
  }
  REQUIRE(shown.size() == 11);  // ten values, then the rest
  CHECK(std::vector<std::uint64_t>(shown.begin(), shown.begin() + 10) ==
        std::vector<std::uint64_t>(counts.begin(), counts.begin() + 10));
  CHECK(shown.back() == std::accumulate(counts.begin() + 10, counts.end(), std::uint64_t(0)));
  CHECK(more.find(std::to_string(counts.size() - 10) + " more") != std::string::npos);
  CHECK(human.out.find("United States") != std::string::npos);
  CHECK(human.out.find("united_states") == std::string::npos);
}

TEST_CASE("show keeps the eligibility criteria's line breaks and bullets", "[e2e][terminal]") {
  auto json = run_cli({"show", "--db", corpus_db(), "--json", "NCT09900001"});
  REQUIRE(json.exit_code == 0);
  simdjson::dom::parser parser;
  std::string criteria{std::string_view(parser.parse(json.out).at(0)["eligibility_criteria"])};
  auto bullets = std::count(criteria.begin(), criteria.end(), '\n');
  REQUIRE(bullets >= 2);
  auto shown = run_cli({"show", "--db", corpus_db(), "NCT09900001"});
  REQUIRE(shown.exit_code == 0);
  auto at = shown.out.find("\nEligibility\n");
  REQUIRE(at != std::string::npos);
  std::string part = shown.out.substr(at);
  CHECK(std::count(part.begin(), part.end(), '\n') > bullets);
  CHECK((part.find("\n  * ") != std::string::npos || part.find("\n  - ") != std::string::npos));
  CHECK(widest(shown.out.substr(at)) <= kPipedWidth);
}

TEST_CASE("--explain: a readable summary; --explain=full adds the Xapian query",
          "[e2e][terminal]") {
  auto summary = run_cli({"search", "--db", corpus_db(), "--explain", "--limit", "1", "--status",
                          "recruiting", "Benlysta and lupus"});
  REQUIRE(summary.exit_code == 0);
  CHECK(summary.out.find("words: benlysta, lupus") != std::string::npos);
  CHECK(summary.out.find("aliases of benlysta: ") != std::string::npos);
  CHECK(summary.out.find("belimumab") != std::string::npos);
  CHECK(summary.out.find("--status recruiting") != std::string::npos);
  CHECK(summary.out.find("Query(") == std::string::npos);
  auto full = run_cli({"search", "--db", corpus_db(), "--explain=full", "--limit", "1", "lupus"});
  REQUIRE(full.exit_code == 0);
  CHECK(full.out.find("words: lupus") != std::string::npos);
  CHECK(full.out.find("Query(") != std::string::npos);
  CHECK(run_cli({"search", "--db", corpus_db(), "--explain=everything", "lupus"}).exit_code == 2);
}

TEST_CASE("--facets and --explain are honoured or refused, never dropped", "[e2e][terminal]") {
  for (std::vector<std::string> args : {std::vector<std::string>{"--csv", "--facets", "status"},
                                        {"--jsonl", "--facets", "status"},
                                        {"--ids", "--facets", "status"},
                                        {"--ids", "--explain"},
                                        {"--csv", "--explain"}}) {
    INFO(args[0] + " " + args[1]);
    args.insert(args.begin(), {"search", "--db", corpus_db()});
    args.push_back("lupus");
    auto r = run_cli(args);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("excludes") != std::string::npos);
  }
  auto json = run_cli(
      {"search", "--db", corpus_db(), "--json", "--explain", "--facets", "status", "lupus"});
  REQUIRE(json.exit_code == 0);
  simdjson::dom::parser parser;
  auto doc = parser.parse(json.out);
  CHECK(doc["facets"]["status"].get_array().size() > 0);
  CHECK(doc["explain_summary"].get_array().size() > 0);
  auto jsonl = run_cli({"search", "--db", corpus_db(), "--jsonl", "--explain", "lupus"});
  REQUIRE(jsonl.exit_code == 0);
  CHECK(jsonl.out.find("\"explain\":") != std::string::npos);
}

namespace {

// One API v2 study with a last update date.
std::string dated_study(const std::string& id, const std::string& title, const std::string& date) {
  return R"({"protocolSection":{"identificationModule":{"nctId":")" + id + R"(","briefTitle":")" +
         title +
         R"("},"statusModule":{"overallStatus":"RECRUITING","lastUpdatePostDateStruct":{"date":")" +
         date + R"("}}}})";
}

std::uint64_t summary_count(const std::string& json, const char* key) {
  simdjson::dom::parser parser;
  return std::uint64_t(parser.parse(json)[key]);
}

}  // namespace

TEST_CASE("a missing input is an I/O error (exit 1), a malformed record exit 4", "[e2e][index]") {
  test::TempDir dir;
  auto missing = (dir.path() / "missing.zip").string();
  auto v = run_cli({"validate", missing});
  CHECK(v.exit_code == 1);
  CHECK(v.err.find("missing.zip") != std::string::npos);
  auto good = dir.path() / "good.jsonl";
  std::ofstream(good) << dated_study("NCT08800001", "Lupus", "2024-01-01") << "\n";
  CHECK(run_cli({"validate", good.string()}).exit_code == 0);
  CHECK(run_cli({"validate", good.string(), missing}).exit_code == 1);
  auto bad = dir.path() / "bad.jsonl";
  std::ofstream(bad) << dated_study("NCT08800001", "Lupus", "2024-01-01")
                     << "\n{\"protocolSection\": {\n";
  CHECK(run_cli({"validate", bad.string()}).exit_code == 4);
  auto index = run_cli({"index", "--db", (dir.path() / "db").string(), good.string(), missing});
  CHECK(index.exit_code == 1);
  CHECK(index.err.find("missing.zip") != std::string::npos);
}

TEST_CASE(
    "one trial in two inputs: the newest record wins in either order, counted once, and a "
    "second run replaces nothing",
    "[e2e][index]") {
  test::TempDir dir;
  auto older = dir.path() / "older.jsonl";
  auto newer = dir.path() / "newer.jsonl";
  auto same_day = dir.path() / "same-day.jsonl";
  std::ofstream(older) << dated_study("NCT08800001", "Lupus old version", "2023-01-05") << "\n"
                       << dated_study("NCT08800002", "Nephritis", "2023-01-05") << "\n";
  std::ofstream(newer) << dated_study("NCT08800001", "Lupus new version", "2024-03-01") << "\n";
  std::ofstream(same_day) << dated_study("NCT08800001", "Lupus newer other copy", "2024-03-01")
                          << "\n";
  auto title_in = [](const std::string& db) {
    auto r = run_cli({"show", "--db", db, "--json", "NCT08800001"});
    REQUIRE(r.exit_code == 0);
    simdjson::dom::parser parser;
    return std::string(std::string_view(parser.parse(r.out).at(0)["brief_title"]));
  };
  std::vector<std::vector<std::string>> orders{{older.string(), newer.string()},
                                               {newer.string(), older.string()},
                                               {older.string(), newer.string(), same_day.string()},
                                               {same_day.string(), older.string(), newer.string()}};
  std::set<std::string> three_way;
  for (std::size_t i = 0; i < orders.size(); ++i) {
    INFO("order " << i);
    std::string db = (dir.path() / ("db" + std::to_string(i))).string();
    std::vector<std::string> args{"index", "--db", db, "--json"};
    args.insert(args.end(), orders[i].begin(), orders[i].end());
    auto first = run_cli(args);  // a new database: built in shards
    REQUIRE(first.exit_code == 0);
    CHECK(summary_count(first.out, "added") == 2);
    CHECK(summary_count(first.out, "replaced") == 0);
    CHECK(summary_count(first.out, "duplicates") == orders[i].size() - 1);
    auto second = run_cli(args);  // the live database: upserts
    REQUIRE(second.exit_code == 0);
    CHECK(summary_count(second.out, "replaced") == 0);
    CHECK(summary_count(second.out, "added") == 0);
    CHECK(summary_count(second.out, "unchanged") == 2);
    CHECK(summary_count(second.out, "duplicates") == orders[i].size() - 1);
    std::string title = title_in(db);
    if (orders[i].size() == 2) CHECK(title == "Lupus new version");
    if (orders[i].size() == 3) three_way.insert(title);
    CHECK(title.find("old") == std::string::npos);
    // upserting the same sources in another order changes nothing either
    std::vector<std::string> reversed{"index", "--db", db, "--json"};
    reversed.insert(reversed.end(), orders[i].rbegin(), orders[i].rend());
    auto third = run_cli(reversed);
    REQUIRE(third.exit_code == 0);
    CHECK(summary_count(third.out, "replaced") == 0);
    CHECK(title_in(db) == title);
  }
  CHECK(three_way.size() == 1);  // two copies of one date: the same one wins in any order
}

TEST_CASE(
    "above the exact limit the count is still the same for every page, and never below "
    "what is certain",
    "[e2e][counts]") {
  test::TempDir dir;
  auto src = dir.path() / "many.jsonl";
  {
    std::ofstream out(src);
    for (int i = 0; i < 1500; ++i)
      out << test::study_json(fmt_id(i), "Sarcoidosis registry " + std::to_string(i)) << "\n";
  }
  std::string db = (dir.path() / "db").string();
  REQUIRE(run_cli({"index", "--db", db, src.string()}).exit_code == 0);
  simdjson::dom::parser parser;
  std::set<std::uint64_t> totals;
  for (const std::string limit : {"0", "1", "20"}) {
    auto r = run_cli({"search", "--db", db, "--json", "--limit", limit, "sarcoidosis"});
    REQUIRE(r.exit_code == 0);
    auto doc = parser.parse(r.out);
    totals.insert(std::uint64_t(doc["total"]));
    if (!bool(doc["total_exact"])) CHECK(std::uint64_t(doc["total_at_least"]) >= 1000);
  }
  CHECK(totals.size() == 1);
  // --facets count every match: the exact count
  auto facets = run_cli(
      {"search", "--db", db, "--json", "--limit", "0", "--facets", "status", "sarcoidosis"});
  auto doc = parser.parse(facets.out);
  CHECK(bool(doc["total_exact"]));
  CHECK(std::uint64_t(doc["total"]) == 1500);
  auto human = run_cli({"search", "--db", db, "--limit", "1", "sarcoidosis"});
  CHECK((human.out.find("about ") == 0 || human.out.find("at least ") == 0 ||
         human.out.find("1500 trials match") == 0));
}
