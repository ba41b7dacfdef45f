// Snippets of long texts: where they start and end, what they highlight, and that record text
// shows as it is (no HTML entities, white space runs as one space).
#include <catch2/catch.hpp>

#include <vector>

#include "query/hit_snippet.hpp"

using namespace trialsearch;

namespace {

// Filler sentences with none of the query's words.
std::string filler(std::size_t sentences) {
  std::string out;
  for (std::size_t i = 0; i < sentences; ++i)
    out += "Participants will attend visits every week for the duration of the study. ";
  return out;
}

// As TrialQueryParser gives plain words: stems (one the word itself), and a prefixed
// field term that snippets never match.
Xapian::Query lupus_query() {
  std::vector<Xapian::Query> terms{Xapian::Query("lupus"), Xapian::Query("nephriti"),
                                   Xapian::Query("kidney"), Xapian::Query("XBlupus")};
  return Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end());
}

}  // namespace

TEST_CASE("a snippet of a long text starts at the sentence of its matches, highlighted",
          "[query][snippet]") {
  std::string text = filler(60) + "Lupus nephritis is an inflammation of the kidney. " + filler(40);
  HitSnippet snippet(lupus_query(), 200);
  auto [begin, end] = snippet.window(text);
  CHECK(text.substr(begin).starts_with("Lupus nephritis"));
  CHECK(end - begin <= 200);
  CHECK(end < text.size());
  std::string ours = snippet(text, "<b>", "</b>");
  CHECK(ours.starts_with("<b>Lupus</b> <b>nephritis</b> is an inflammation of the <b>kidney</b>."));
  CHECK(ours.size() <= 200 + 4 * std::string("<b></b>").size());
  // the participants filler has no query word: nothing else is highlighted
  CHECK(ours.find("<b>", ours.find("kidney")) == std::string::npos);
}

TEST_CASE("the densest part wins over a first lone match", "[query][snippet]") {
  std::string text = "Kidney function is measured. " + filler(20) +
                     "Lupus nephritis damages the kidney in lupus. " + filler(20);
  HitSnippet snippet(lupus_query(), 200);
  std::string ours = snippet(text, "[", "]");
  CHECK(ours.starts_with("...") == false);
  CHECK(ours.starts_with("[Lupus] [nephritis] damages the [kidney] in [lupus]."));
}

TEST_CASE("the first part with every query word is shown: the scan stops there",
          "[query][snippet]") {
  // a later part has more matches of the same words, and does not win
  std::string text = filler(5) + "Lupus nephritis of the kidney, first. " + filler(5) +
                     "Lupus nephritis, lupus nephritis, kidney and lupus nephritis again. " +
                     filler(5);
  HitSnippet snippet(lupus_query(), 200);
  CHECK(snippet(text, "[", "]").starts_with("[Lupus] [nephritis] of the [kidney], first."));
}

TEST_CASE("a match mid-sentence gets the leading omission mark", "[query][snippet]") {
  std::string long_sentence;
  for (int i = 0; i < 40; ++i) long_sentence += "word" + std::to_string(i) + " ";
  std::string text =
      filler(30) + long_sentence + "with lupus in it and more words after it. " + filler(30);
  HitSnippet snippet(lupus_query(), 200);
  std::string ours = snippet(text, "[", "]");
  CHECK(ours.starts_with("..."));
  CHECK(ours.find("[lupus]") != std::string::npos);
  // a few words of context before the match, not half the snippet
  CHECK(ours.find("[lupus]") < 200 / 4 + 10);
}

TEST_CASE("record text shows as it is: no HTML entities, white space runs as one space",
          "[query][snippet]") {
  std::string text = "Adults aged >= 18 & < 65 years   with \t lupus nephritis.\n\nSecond one.";
  HitSnippet snippet(lupus_query(), 200);
  CHECK(snippet(text, "[", "]") ==
        "Adults aged >= 18 & < 65 years with [lupus] [nephritis]. Second one.");
}

TEST_CASE("without a query word the snippet is the text's beginning", "[query][snippet]") {
  std::string text = filler(80);
  HitSnippet snippet(lupus_query(), 200);
  std::string ours = snippet(text, "[", "]");
  CHECK(ours.starts_with("Participants will attend"));
  CHECK(ours.ends_with("..."));
  CHECK(ours.size() <= 200 + 3);
  CHECK(ours.find('[') == std::string::npos);
  CHECK(snippet("", "[", "]").empty());
}
