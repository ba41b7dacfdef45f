/// @brief What a drug or condition name expands to: lexicon entries and code links chain, links
/// harvested from single records do not, and links that contradict a lexicon or the corpus are
/// dropped.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "analyzers/alias_graph.hpp"
#include "analyzers/lexicon.hpp"

namespace trialsearch {

/// How far a query's names are expanded (`search --aliases`).
enum class AliasMode {
  Off,     ///< names find themselves only
  Strict,  ///< lexicon entries and links between two drug codes
  On,      ///< also a record's intervention name <-> its other names, one step
};

/// How a link between two names is known.
enum class LinkKind {
  Lexicon,    ///< one entry of a lexicon (curated or imported)
  Code,       ///< two drug codes named together by a record ("CC-97540 (BMS-986353)")
  OtherName,  ///< a record's intervention name and one of its other names
};

std::string_view link_kind_name(LinkKind kind);

/// One name an expansion reaches, and the chain of links that reaches it.
struct AliasReach {
  std::string key;
  std::vector<AliasStep> path;  ///< from the expanded name's key to `key`
  std::vector<LinkKind> kinds;  ///< the kind of each step
};

/// True when the corpus shows two keys as different drugs (a record lists both as separate
/// interventions).
using DistinctFn = std::function<bool(const std::string&, const std::string&)>;

/// Expands names through the alias evidence: harvested links (an AliasGraph whose provenances
/// are NCT ids) and lexicon entries. Built once per run or query; expand() is read-only.
///
/// Rules, each a named step below:
/// - a harvested link is dropped when either name is not linkable (alias_rules.hpp), when one
///   is a code and the other a longer name built on it ("gp100", "gp100 peptide"), when a
///   lexicon files its two names under different entries only, when the corpus shows them as
///   different interventions (`distinct`), or when either name is a hub: a name linked to
///   several names that are themselves different drugs ("chemotherapy");
/// - strong links chain: lexicon entries (a name reaches every name of each entry it is in) and
///   harvested links between two drug codes;
/// - On mode adds the remaining harvested links one step from any name the strong links reach;
///   they never chain further;
/// - at most kMaxExpansion names, strong ones first, then the best-attested.
class AliasExpander {
 public:
  static constexpr std::size_t kMaxExpansion = 40;

  AliasExpander(const AliasGraph& harvested, const std::vector<LexiconEntry>& lexicon,
                DistinctFn distinct);
  ~AliasExpander();
  AliasExpander(AliasExpander&&) noexcept;
  AliasExpander& operator=(AliasExpander&&) noexcept;

  /// The drug names `name` expands to (not itself), nearest first.
  std::vector<AliasReach> expand(std::string_view name, AliasMode mode) const;

  /// The condition names `name` expands to through condition lexicon entries (not itself).
  std::vector<std::string> expand_condition(std::string_view name) const;

  /// Every key that may expand to something, drugs then conditions: the names of lexicon
  /// entries and of accepted harvested links.
  std::vector<std::string> drug_keys() const;
  std::vector<std::string> condition_keys() const;

  /// Harvested links accepted and dropped, by reason ("hub", "lexicon disagrees", ...).
  std::size_t accepted_links() const;
  const std::unordered_map<std::string, std::size_t>& dropped_links() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace trialsearch
