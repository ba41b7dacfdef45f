/// @brief The weighting scheme every ranked query uses (BM25 with parameters chosen by
/// scripts/eval-relevance), set in one place for search and similar.
#pragma once

#include <xapian.h>

namespace trialsearch {

/// BM25 k1: how slowly repeated occurrences saturate. The indexer adds a field weight of 1 to 9
/// per occurrence (ClinicalTrials.gov's weights x10), so Xapian's default of 1 saturates after a
/// single title word; 8 keeps the field weights and repeated words counting.
inline constexpr double kBm25K1 = 8.0;
/// BM25 b: how much a long record (summary, description, eligibility) is normalised down.
inline constexpr double kBm25B = 0.75;

/// The weighting scheme for ranked results (relevance order).
Xapian::BM25Weight ranking_weight();

/// The same scheme with another k1 (`match`, whose long queries want earlier saturation).
Xapian::BM25Weight ranking_weight(double k1);

/// Sets ranking_weight() on `enquire`.
void apply_ranking(Xapian::Enquire& enquire);

}  // namespace trialsearch
