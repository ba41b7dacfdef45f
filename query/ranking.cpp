#include "query/ranking.hpp"

namespace trialsearch {
namespace {

// k2 (query-length correction) off, as Xapian's default. k3 (query wdf) off too: a term's weight
// then does not depend on how many times the query tree holds it, so a part of the query (the
// all-words tier of a relaxed query, see TrialQueryParser::parse_tiers) weighs a document
// exactly as the whole query does. Xapian's default k3 = 1 only scaled every term of our queries
// alike (each word is in the same branches), so rankings do not change. The minimum normalised
// length as Xapian's default.
constexpr double kBm25K2 = 0.0;
constexpr double kBm25K3 = 0.0;
constexpr double kBm25MinNormLen = 0.5;

}  // namespace

Xapian::BM25Weight ranking_weight() { return ranking_weight(kBm25K1); }

Xapian::BM25Weight ranking_weight(double k1) {
  return Xapian::BM25Weight(k1, kBm25K2, kBm25K3, kBm25B, kBm25MinNormLen);
}

void apply_ranking(Xapian::Enquire& enquire) { enquire.set_weighting_scheme(ranking_weight()); }

}  // namespace trialsearch
