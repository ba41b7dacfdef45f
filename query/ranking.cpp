#include "query/ranking.hpp"

namespace trialsearch {
namespace {

// k2 (query-length correction) off and k3 (query wdf) at 1, as Xapian's defaults; the
// minimum normalised length as Xapian's default too.
constexpr double kBm25K2 = 0.0;
constexpr double kBm25K3 = 1.0;
constexpr double kBm25MinNormLen = 0.5;

}  // namespace

Xapian::BM25Weight ranking_weight() {
  return Xapian::BM25Weight(kBm25K1, kBm25K2, kBm25K3, kBm25B, kBm25MinNormLen);
}

void apply_ranking(Xapian::Enquire& enquire) { enquire.set_weighting_scheme(ranking_weight()); }

}  // namespace trialsearch
