// trialsearch-xapian-floor TSV DB [--positions] [--prefixes] [--threshold N]: the least any
// Xapian 1.4 index of the benchmark's text fields costs, for scripts/bench's comparison with
// SQLite FTS5 on the same converted records (the FTS5 peer's records.tsv: nct, status, phases,
// type, then one column per text field). One thread, one TermGenerator (English stems only,
// as trialsearch), each column's words unprefixed (or with a prefix per column, --prefixes),
// without positions unless --positions, no record data, no values, no filters, no spelling,
// no synonyms; the NCT id as the unique term. Commits every --threshold documents (default
// Xapian's own 10,000) and once at the end. Prints one JSON line: records, seconds, index MB.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <xapian.h>

#include "analyzers/fields.hpp"
#include "query/db_stats.hpp"

namespace {

constexpr std::size_t kTextColumnsFrom = 4;  // nct, status, phases, type, then text columns

std::vector<std::string_view> split_tabs(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (true) {
    auto tab = line.find('\t', start);
    out.push_back(line.substr(start, tab == std::string_view::npos ? tab : tab - start));
    if (tab == std::string_view::npos) return out;
    start = tab + 1;
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr,
                 "usage: trialsearch-xapian-floor TSV DB [--positions] [--prefixes] "
                 "[--threshold N]\n");
    return 2;
  }
  const std::string tsv = argv[1];
  const std::string db_path = argv[2];
  bool positions = false, prefixes = false;
  unsigned threshold = 10000;
  for (int i = 3; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a == "--positions") {
      positions = true;
    } else if (a == "--prefixes") {
      prefixes = true;
    } else if (a == "--threshold" && i + 1 < argc) {
      threshold = static_cast<unsigned>(std::strtoul(argv[++i], nullptr, 10));
      if (threshold == 0) {
        std::fprintf(stderr, "trialsearch-xapian-floor: --threshold wants a number above 0\n");
        return 2;
      }
    } else {
      std::fprintf(stderr, "trialsearch-xapian-floor: unknown option %s\n", argv[i]);
      return 2;
    }
  }
  std::ifstream in(tsv);
  if (!in) {
    std::fprintf(stderr, "trialsearch-xapian-floor: cannot read %s\n", tsv.c_str());
    return 1;
  }
  try {
    std::filesystem::remove_all(db_path);
    const auto t0 = std::chrono::steady_clock::now();
    Xapian::WritableDatabase db(db_path,
                                Xapian::DB_CREATE | Xapian::DB_NO_SYNC | Xapian::DB_DANGEROUS);
    Xapian::TermGenerator tg;
    tg.set_stemmer(Xapian::Stem(std::string(trialsearch::kStemLanguage)));
    tg.set_stemming_strategy(Xapian::TermGenerator::STEM_ALL);
    std::vector<std::string> column_prefix;
    std::string line;
    unsigned records = 0;
    while (std::getline(in, line)) {
      auto cols = split_tabs(line);
      if (cols.size() <= kTextColumnsFrom) continue;
      Xapian::Document doc;
      tg.set_document(doc);
      doc.add_boolean_term("Q" + std::string(cols[0]));
      for (std::size_t c = kTextColumnsFrom; c < cols.size(); ++c) {
        const std::size_t k = c - kTextColumnsFrom;
        if (column_prefix.size() <= k) column_prefix.push_back(fmt::format("X{}", char('A' + k)));
        const std::string prefix = prefixes ? column_prefix[k] : std::string();
        const std::string text(cols[c]);
        if (positions) {
          tg.index_text(text, 1, prefix);
          tg.increase_termpos(100);
        } else {
          tg.index_text_without_positions(text, 1, prefix);
        }
      }
      db.add_document(doc);
      if (++records % threshold == 0) db.commit();
    }
    db.commit();
    db.close();
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    fmt::print(
        "{{\"records\": {}, \"seconds\": {:.2f}, \"positions\": {}, \"prefixes\": {}, "
        "\"index_mb\": {:.1f}}}\n",
        records, seconds, positions, prefixes, trialsearch::disk_size(db_path) / 1e6);
  } catch (const Xapian::Error& e) {
    std::fprintf(stderr, "trialsearch-xapian-floor: %s\n", e.get_description().c_str());
    return 1;
  }
  return 0;
}
