// Snippets of long texts: the window handed to MSet::snippet holds the matches, and the snippet
// is Xapian's own over the whole text when one region matches.
#include <catch2/catch.hpp>

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

struct Fixture {
  Xapian::WritableDatabase db{std::string(), Xapian::DB_BACKEND_INMEMORY};
  Xapian::Query query;
  Xapian::MSet mset;

  explicit Fixture(const std::string& text) {
    Xapian::TermGenerator tg;
    tg.set_stemmer(Xapian::Stem("english"));
    tg.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
    Xapian::Document doc;
    tg.set_document(doc);
    tg.index_text(text);
    db.add_document(doc);
    // as TrialQueryParser gives plain words: stemmed terms, and a prefixed field that
    // snippets never match
    query = Xapian::Query(
        Xapian::Query::OP_OR,
        Xapian::Query(Xapian::Query::OP_OR, Xapian::Query("Zlupus"), Xapian::Query("Znephriti")),
        Xapian::Query("ZXBlupus"));
    Xapian::Enquire enquire(db);
    enquire.set_query(query);
    mset = enquire.get_mset(0, 10);
  }
};

}  // namespace

TEST_CASE("a snippet of a long text shows its matches, as Xapian's over the whole text",
          "[query][snippet]") {
  std::string text = filler(60) + "Lupus nephritis is an inflammation of the kidney. " + filler(40);
  Fixture f(text);
  HitSnippet snippet(f.query, 200);
  auto [begin, end] = snippet.window(text);
  CHECK(begin > 0);
  CHECK(end < text.size());
  CHECK(end - begin <= 2 * 200 + 200 / 2);
  std::string whole = f.mset.snippet(text, 200, Xapian::Stem("english"),
                                     Xapian::MSet::SNIPPET_EXHAUSTIVE, "<b>", "</b>", "...");
  std::string ours = snippet(f.mset, text, "<b>", "</b>");
  CHECK(ours.find("<b>Lupus</b> <b>nephritis</b>") != std::string::npos);
  CHECK(ours == whole);
}

TEST_CASE("a match mid-sentence gets the leading omission mark", "[query][snippet]") {
  std::string long_sentence;
  for (int i = 0; i < 40; ++i) long_sentence += "word" + std::to_string(i) + " ";
  std::string text =
      filler(30) + long_sentence + "with lupus in it and more words after it. " + filler(30);
  Fixture f(text);
  HitSnippet snippet(f.query, 200);
  std::string ours = snippet(f.mset, text, "[", "]");
  CHECK(ours.starts_with("..."));
  CHECK(ours.find("[lupus]") != std::string::npos);
}

TEST_CASE("without a query word the snippet is the text's beginning", "[query][snippet]") {
  std::string text = filler(80);
  Fixture f(text + "lupus");
  HitSnippet snippet(f.query, 200);
  std::string ours = snippet(f.mset, text, "[", "]");
  CHECK(ours.starts_with("Participants will attend"));
  CHECK(ours.ends_with("..."));
  CHECK(ours.size() <= 200 + 3);
  CHECK(snippet(f.mset, "", "[", "]").empty());
}
