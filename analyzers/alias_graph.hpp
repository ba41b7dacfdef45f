/// @brief Drug-name aliases as an undirected graph of matching keys, each link remembering where it
/// came from.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace trialsearch {

/// The matching key of a drug or intervention name: folded (text_fold.hpp), trade-mark signs
/// (®, ™, ℠, ©) removed, white space trimmed and collapsed to single spaces, punctuation at
/// either end stripped (brackets, quotes, commas, full stops; not a leading '-' or '+' inside
/// a name), and, if the whole name is one drug code, its canonical code (drug_codes.hpp).
/// "CC-97540" -> "cc97540"; "Benlysta®" -> "benlysta"; "  Anti-CD19 CAR T  " -> "anti-cd19 car t".
/// Empty when nothing is left.
std::string alias_key(std::string_view name);

/// One link on an explanation path.
struct AliasStep {
  std::string from_key;
  std::string to_key;
  std::vector<std::string> provenances;  ///< sorted, distinct

  friend bool operator==(const AliasStep&, const AliasStep&) = default;
};

/// Undirected links between alias keys; every link keeps the distinct provenances that
/// asserted it ("NCT05869955", "DrugBank DB08879", "lexicon:curated (FDA label Benlysta)").
/// Names given to any member are turned into keys with alias_key(); names whose key is empty
/// are ignored. Adding, removing and looking up a link cost amortised O(degree).
class AliasGraph {
 public:
  /// Most keys group() returns. Chains of loosely related names (a salt, a combination, a
  /// misattributed synonym) can join hundreds of drugs into one component; expanding a query
  /// to all of them would do more harm than good.
  static constexpr std::size_t kMaxGroupSize = 64;

  /// Links the keys of a and b on behalf of `provenance`. Self-links (same key) are ignored;
  /// linking again with another provenance adds it to the link, with the same one does nothing.
  void link(std::string_view a, std::string_view b, std::string_view provenance);

  /// Links every other name to the first one.
  void link_group(const std::vector<std::string>& names, std::string_view provenance);

  /// Removes `provenance` from every link; links left with no provenance disappear, which may
  /// split a group (call it before re-indexing or deleting a trial).
  void remove_provenance(std::string_view provenance);

  /// The keys reachable from the name's key, sorted, including its own key (just that one when
  /// it has no links; empty for a name with an empty key). At most kMaxGroupSize keys: when the
  /// component is larger, the nearest keys are kept (breadth-first, whole distance levels; the
  /// level that overflows is cut in key order), so the result stays deterministic.
  std::vector<std::string> group(std::string_view name) const;

  /// A shortest chain of links from one name's key to the other's (empty when they are not
  /// connected or have the same key). Ties are broken by key order.
  std::vector<AliasStep> explain(std::string_view from, std::string_view to) const;

  /// Every connected component with at least two keys, whole (not capped), each sorted, the
  /// list sorted by first key.
  std::vector<std::vector<std::string>> groups() const;

  /// The keys linked to the name's key, each with the link's provenances (sorted), in key
  /// order; empty for an unknown name.
  std::vector<std::pair<std::string, std::vector<std::string>>> links_of(
      std::string_view name) const;

  /// Every link once, as (key, key, provenances), in no particular order.
  void for_each_link(const std::function<void(const std::string&, const std::string&,
                                              const std::vector<std::string>&)>& visit) const;

  /// Every key with at least one link, in no particular order.
  std::vector<std::string> linked_keys() const;

  /// Number of distinct links (key pairs).
  std::size_t link_count() const { return edges_.size(); }

  /// Compact text: a header line, then one link per line, "key\tkey\tprovenance..." with the
  /// two keys in byte order and provenances sorted; lines sorted. Backslash, tab, new line and
  /// carriage return inside a field are escaped as \\, \t, \n, \r. Equal graphs serialise to
  /// equal text.
  std::string serialize() const;

  /// Reads serialize()'s text; throws std::runtime_error (naming the line) on malformed input.
  static AliasGraph deserialize(std::string_view text);

 private:
  using NodeId = std::uint32_t;
  using ProvId = std::uint32_t;
  static std::uint64_t edge_key(NodeId a, NodeId b);

  NodeId intern_node(std::string key);
  ProvId intern_provenance(std::string_view provenance);
  void link_keys(std::string key_a, std::string key_b, std::string_view provenance);
  const NodeId* find_node(std::string_view name) const;
  std::vector<NodeId> sorted_neighbours(NodeId node) const;

  std::vector<std::string> keys_;  ///< by NodeId
  std::unordered_map<std::string, NodeId> node_ids_;
  std::vector<std::vector<NodeId>> adjacency_;  ///< by NodeId, unordered
  std::vector<std::string> provenances_;        ///< by ProvId
  std::unordered_map<std::string, ProvId> provenance_ids_;
  std::unordered_map<std::uint64_t, std::vector<ProvId>> edges_;  ///< edge_key -> sorted ProvIds
  std::unordered_map<ProvId, std::vector<std::uint64_t>> edges_by_provenance_;
};

}  // namespace trialsearch
