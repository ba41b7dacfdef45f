// trialsearch match: a patient's description in, the trials they could join out.
#include <fmt/format.h>

#include <iostream>
#include <iterator>
#include <memory>

#include "analyzers/errors.hpp"
#include "cli/commands.hpp"
#include "indexer/db_path.hpp"
#include "query/patient_match.hpp"
#include "query/trial_database.hpp"

namespace trialsearch::cli {
namespace {

struct MatchCommandOptions {
  DbOptions db;
  std::vector<std::string> words;
  MatchOptions match;
  ResultFormat format;
};

// The description: the words given, or standard input for "-".
std::string description(const std::vector<std::string>& words) {
  if (words.size() == 1 && words.front() == "-")
    return {std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>()};
  std::string text;
  for (const auto& w : words) text += (text.empty() ? "" : " ") + w;
  return text;
}

int run_match(MatchCommandOptions& o) {
  MatchOptions& m = o.match;
  m.text = description(o.words);
  if (m.text.find_first_not_of(" \t\r\n") == std::string::npos)
    throw UsageError("match needs a description: TEXT... or - for standard input");
  // --age and --sex describe the patient here; they weigh on the ranking (or filter, with
  // --eligible-only) instead of being search's filters.
  SearchFilters& f = m.search.filters;
  if (f.age_years) m.age_years = *f.age_years;
  if (!f.sex.empty()) m.sex = f.sex.front();  // one value: the parser refuses more
  f.age_years.reset();
  f.sex.clear();
  prepare_output(m.search, o.format);
  MatchResult r = with_database(resolve_db_path(o.db.db),
                                [&](const Xapian::Database& db) { return match_patient(db, m); });
  print_result(r.result, m.search, o.format,
               o.format.json ? match_result_to_json(r) : std::string());
  return kExitOk;
}

}  // namespace

void setup_match(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<MatchCommandOptions>();
  auto* sub = app.add_subcommand(
      "match", "The trials a patient could join, from a description in plain text");
  add_db_option(*sub, o->db);
  sub->add_option("text", o->words,
                  fmt::format("the patient's description (at most {} words), or - to read it "
                              "from standard input; no query syntax: quotes, colons and AND "
                              "are text",
                              kMaxPatientWords))
      ->required();
  add_filter_options(*sub, o->match.search.filters);
  sub->get_option("--age")->description(
      "the patient's age in years (else read from the text: \"66-year-old\")");
  // search's --sex is a list of filter values; here it is the patient's one sex: a second value
  // (a comma or the option given twice) is refused by the parser.
  sub->get_option("--sex")
      ->description(
          "the patient's sex, female or male (else read from the text: \"woman\", \"boy\")")
      ->check(CLI::Validator(
                  [](const std::string&) {
                    return std::string(
                        "the patient's sex is one value (female or male), not a list");
                  },
                  "")
                  .application_index(1))
      ->check(CLI::IsMember({"female", "male"}))
      ->expected(1);  // help shows one value
  sub->add_flag("--eligible-only", o->match.eligible_only,
                "leave out trials whose age limits or sex exclude the patient (by default they "
                "are ranked lower)");
  CLI::Option* facets = add_page_options(*sub, o->match.search);
  add_result_format_options(*sub, o->format, facets,
                            "what was read from the text (concepts and their vocabulary, what "
                            "was negated, age, sex) and why each trial matched and passed the "
                            "eligibility check");
  sub->callback([o, &exit_code] { exit_code = run_match(*o); });
}

}  // namespace trialsearch::cli
