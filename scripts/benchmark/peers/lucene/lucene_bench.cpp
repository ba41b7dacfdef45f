// @brief Lucene++ peer for the trialsearch benchmark: builds an index from a TSV of trials,
// answers keyword queries and more-like-this, printing one latency per line.
//
// usage: lucene_bench index RECORDS.tsv INDEXDIR [--no-term-vectors]
//        lucene_bench query INDEXDIR QUERIES.lq [--mlt IDS.txt]
// RECORDS.tsv columns: nct, status, phases (space-separated), type, then the text fields in
// FIELDS order. QUERIES.lq lines: `lucene query syntax<TAB>field=value,...` (pre-translated by
// lucene.py). Query output lines: `q <ms> <hits>`; `mlt <ms> <hits>`.
// Debian's liblucene++-contrib 3.0.8 has no MoreLikeThis: `mlt` is a small re-implementation of
// Lucene's algorithm (term vectors, tf*idf, top 25 terms with min tf 2 / min df 5, OR query).
#include <lucene++/ContribInc.h>
#include <lucene++/LuceneHeaders.h>
#include <lucene++/MultiFieldQueryParser.h>
#include <lucene++/Similarity.h>
#include <lucene++/SnowballAnalyzer.h>
#include <lucene++/TermFreqVector.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

using namespace Lucene;

namespace {

struct FieldWeight {
  const wchar_t* name;
  double weight;
};
// Same fields and weights as common.TEXT_FIELDS (and trialsearch's analyzers/fields.hpp).
const FieldWeight FIELDS[] = {{L"title", 9},    {L"conditions", 8}, {L"interventions", 8},
                              {L"keywords", 6}, {L"outcomes", 5},   {L"summary", 4},
                              {L"sponsors", 4}, {L"ids", 4},        {L"mesh", 3},
                              {L"sites", 3},    {L"eligibility", 2}};

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  std::istringstream in(s);
  while (std::getline(in, cur, sep)) out.push_back(cur);
  if (!s.empty() && s.back() == sep) out.emplace_back();
  return out;
}

AnalyzerPtr make_analyzer() {
  return newLucene<SnowballAnalyzer>(LuceneVersion::LUCENE_30, L"english");
}

int do_index(const std::string& tsv, const std::string& dir, bool term_vectors) {
  std::ifstream in(tsv);
  if (!in) {
    std::cerr << "lucene_bench: cannot read " << tsv << "\n";
    return 2;
  }
  IndexWriterPtr writer =
      newLucene<IndexWriter>(FSDirectory::open(StringUtils::toUnicode(dir)), make_analyzer(), true,
                             IndexWriter::MaxFieldLengthUNLIMITED);
  writer->setRAMBufferSizeMB(128);
  const auto tv = term_vectors ? Field::TERM_VECTOR_YES : Field::TERM_VECTOR_NO;
  std::string line;
  long n = 0;
  while (std::getline(in, line)) {
    auto cols = split(line, '\t');
    if (cols.size() < 4 + std::size(FIELDS)) continue;
    DocumentPtr doc = newLucene<Document>();
    doc->add(newLucene<Field>(L"nct", StringUtils::toUnicode(cols[0]), Field::STORE_YES,
                              Field::INDEX_NOT_ANALYZED_NO_NORMS));
    doc->add(newLucene<Field>(L"status", StringUtils::toUnicode(cols[1]), Field::STORE_NO,
                              Field::INDEX_NOT_ANALYZED_NO_NORMS));
    for (const auto& ph : split(cols[2], ' '))
      if (!ph.empty())
        doc->add(newLucene<Field>(L"phase", StringUtils::toUnicode(ph), Field::STORE_NO,
                                  Field::INDEX_NOT_ANALYZED_NO_NORMS));
    doc->add(newLucene<Field>(L"type", StringUtils::toUnicode(cols[3]), Field::STORE_NO,
                              Field::INDEX_NOT_ANALYZED_NO_NORMS));
    for (size_t f = 0; f < std::size(FIELDS); ++f)
      if (!cols[4 + f].empty())
        doc->add(newLucene<Field>(FIELDS[f].name, StringUtils::toUnicode(cols[4 + f]),
                                  Field::STORE_NO, Field::INDEX_ANALYZED, tv));
    writer->addDocument(doc);
    ++n;
  }
  writer->optimize();
  writer->close();
  std::cerr << "lucene_bench: indexed " << n << " trials\n";
  return 0;
}

double ms_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

// Lucene MoreLikeThis defaults: 25 terms, min term freq 2, min doc freq 5, source excluded.
QueryPtr more_like_this(const IndexReaderPtr& reader, int32_t docid, const String& nct) {
  SimilarityPtr sim = Similarity::getDefault();
  const int32_t num_docs = reader->numDocs();
  struct Scored {
    double score;
    String field, term;
  };
  std::vector<Scored> terms;
  for (const auto& fw : FIELDS) {
    TermFreqVectorPtr v = reader->getTermFreqVector(docid, fw.name);
    if (!v) continue;
    Collection<String> ts = v->getTerms();
    Collection<int32_t> fs = v->getTermFrequencies();
    for (int32_t i = 0; i < ts.size(); ++i) {
      if (fs[i] < 2) continue;
      int32_t df = reader->docFreq(newLucene<Term>(fw.name, ts[i]));
      if (df < 5) continue;
      terms.push_back({fs[i] * sim->idf(df, num_docs), fw.name, ts[i]});
    }
  }
  const size_t keep = std::min<size_t>(25, terms.size());
  std::partial_sort(terms.begin(), terms.begin() + keep, terms.end(),
                    [](const Scored& a, const Scored& b) { return a.score > b.score; });
  BooleanQueryPtr q = newLucene<BooleanQuery>();
  for (size_t i = 0; i < keep; ++i)
    q->add(newLucene<TermQuery>(newLucene<Term>(terms[i].field, terms[i].term)),
           BooleanClause::SHOULD);
  q->add(newLucene<TermQuery>(newLucene<Term>(L"nct", nct)), BooleanClause::MUST_NOT);
  return q;
}

int do_query(const std::string& dir, const std::string& qfile, const std::string& mltfile) {
  IndexReaderPtr reader = IndexReader::open(FSDirectory::open(StringUtils::toUnicode(dir)), true);
  IndexSearcherPtr searcher = newLucene<IndexSearcher>(reader);
  Collection<String> names = Collection<String>::newInstance();
  MapStringDouble boosts = MapStringDouble::newInstance();
  for (const auto& fw : FIELDS) {
    names.add(fw.name);
    boosts.put(fw.name, fw.weight);
  }
  MultiFieldQueryParserPtr parser =
      newLucene<MultiFieldQueryParser>(LuceneVersion::LUCENE_30, names, make_analyzer(), boosts);
  parser->setDefaultOperator(QueryParser::AND_OPERATOR);
  std::ifstream in(qfile);
  if (!in) {
    std::cerr << "lucene_bench: cannot read " << qfile << "\n";
    return 2;
  }
  std::string line;
  for (int guard = 0; guard < 1000000 && std::getline(in, line); ++guard) {
    if (line.empty()) continue;
    auto tab = line.find('\t');
    std::string q = line.substr(0, tab),
                filt = tab == std::string::npos ? "" : line.substr(tab + 1);
    auto t0 = std::chrono::steady_clock::now();
    int hits = 0;
    try {
      QueryPtr query = parser->parse(StringUtils::toUnicode(q));
      if (!filt.empty()) {
        BooleanQueryPtr bq = newLucene<BooleanQuery>();
        bq->add(query, BooleanClause::MUST);
        for (const auto& kv : split(filt, ',')) {
          auto eq = kv.find('=');
          if (eq == std::string::npos) continue;
          bq->add(newLucene<TermQuery>(newLucene<Term>(StringUtils::toUnicode(kv.substr(0, eq)),
                                                       StringUtils::toUnicode(kv.substr(eq + 1)))),
                  BooleanClause::MUST);
        }
        query = bq;
      }
      TopDocsPtr top = searcher->search(query, 10);
      for (const auto& sd : top->scoreDocs) {
        searcher->doc(sd->doc)->get(L"nct");
        ++hits;
      }
    } catch (LuceneException& e) {
      std::cerr << "lucene_bench: query failed: " << q << "\n";
    }
    std::printf("q %.4f %d\n", ms_since(t0), hits);
  }
  if (!mltfile.empty()) {
    std::ifstream ids(mltfile);
    while (std::getline(ids, line)) {
      if (line.empty()) continue;
      auto t0 = std::chrono::steady_clock::now();
      String nct = StringUtils::toUnicode(line);
      TopDocsPtr src = searcher->search(newLucene<TermQuery>(newLucene<Term>(L"nct", nct)), 1);
      if (src->totalHits == 0) continue;
      TopDocsPtr top = searcher->search(more_like_this(reader, src->scoreDocs[0]->doc, nct), 10);
      int hits = 0;
      for (const auto& sd : top->scoreDocs) {
        searcher->doc(sd->doc)->get(L"nct");
        ++hits;
      }
      std::printf("mlt %.4f %d\n", ms_since(t0), hits);
    }
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const char* usage =
      "usage: lucene_bench index RECORDS.tsv INDEXDIR [--no-term-vectors] | "
      "lucene_bench query INDEXDIR QUERIES.lq [--mlt IDS.txt]\n";
  std::vector<std::string> a(argv + 1, argv + argc);
  try {
    if (a.size() >= 3 && a[0] == "index" &&
        (a.size() == 3 || (a.size() == 4 && a[3] == "--no-term-vectors")))
      return do_index(a[1], a[2], a.size() == 3);
    if (a.size() >= 3 && a[0] == "query" && (a.size() == 3 || (a.size() == 5 && a[3] == "--mlt")))
      return do_query(a[1], a[2], a.size() == 5 ? a[4] : "");
  } catch (LuceneException& e) {
    std::wcerr << L"lucene_bench: " << e.getError() << L"\n";
    return 1;
  }
  std::fputs(usage, stderr);
  return 2;
}
