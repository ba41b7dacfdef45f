/// @brief The weighting scheme every ranked query uses (BM25 with parameters chosen by
/// scripts/eval-relevance), set in one place for search and similar.
#pragma once

#include <xapian.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <iterator>
#include <string>
#include <vector>

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

/// Sets ranking_weight() on `enquire`, and break_ties_by_id().
void apply_ranking(Xapian::Enquire& enquire);

/// Relevance order, and trials of equal weight in NCT id order: one order whatever the
/// document ids, which differ between one database and a shard set of the same trials (and
/// between two builds); without it Xapian orders them by document id.
void break_ties_by_id(Xapian::Enquire& enquire);

/// Whether two weights are one sum added in two orders: each shard of a shard set adds a
/// query's parts in an order of its own (its posting-list tree follows its own term
/// frequencies), so one trial's weight can differ in its last bits between a shard set and
/// one database.
inline bool same_weight(double a, double b) {
  constexpr double kRelative = 1e-9;
  return std::abs(a - b) <= kRelative * std::max(std::abs(a), std::abs(b));
}

/// Puts each run of `items` whose weights are the same_weight() in ascending `id_of` order
/// (break_ties_by_id() settles exact ties only); `id_of` is called for those runs only.
template <typename T, typename WeightOf, typename IdOf>
void settle_near_ties(std::vector<T>& items, WeightOf weight_of, IdOf id_of) {
  for (std::size_t run = 0; run < items.size();) {
    std::size_t end = run + 1;
    while (end < items.size() && same_weight(weight_of(items[end - 1]), weight_of(items[end])))
      ++end;
    if (end - run > 1) {
      std::vector<std::pair<std::string, T>> keyed;
      for (std::size_t i = run; i < end; ++i) keyed.emplace_back(id_of(items[i]), items[i]);
      std::stable_sort(keyed.begin(), keyed.end(),
                       [](const auto& a, const auto& b) { return a.first < b.first; });
      for (std::size_t i = run; i < end; ++i) items[i] = keyed[i - run].second;
    }
    run = end;
  }
}

/// Hits a ranked pass asks for past its page, so that near-ties at the page's end are settled
/// (settled_page) alike on a shard set and on one database.
inline constexpr Xapian::doccount kTieMargin = 4;

/// The first `limit` items of `mset` (asked for with kTieMargin more) in relevance order, with
/// near-ties settled by NCT id.
std::vector<Xapian::MSetIterator> settled_page(const Xapian::MSet& mset, std::size_t limit);

}  // namespace trialsearch
