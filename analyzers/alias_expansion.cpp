#include "analyzers/alias_expansion.hpp"

#include <algorithm>
#include <deque>
#include <map>
#include <set>
#include <utility>

#include "analyzers/alias_rules.hpp"
#include "analyzers/drug_codes.hpp"

namespace trialsearch {

std::string_view link_kind_name(LinkKind kind) {
  switch (kind) {
    case LinkKind::Lexicon:
      return "lexicon";
    case LinkKind::Code:
      return "code";
    case LinkKind::OtherName:
      return "other name";
  }
  return "";
}

namespace {

// Records that must state a link between two names that are not codes: a single record's
// other names are too often another drug of its regimen ("ketoconazole" = "casopitant").
constexpr std::size_t kMinRecords = 2;
// A name whose harvested links reach this many pairs of different drugs is a hub.
constexpr std::size_t kHubPairs = 1;
// Neighbours of one name compared pairwise for the hub test (the best-attested ones).
constexpr std::size_t kHubSample = 48;

bool is_code(const std::string& key) {
  auto code = canonical_code(key);
  return code && *code == key;
}

// A code and a longer name that has it as one of its words ("gp100" and "gp100 antigen", "gp100
// peptide"): the code's search finds that name's records already, and the other way the link
// would widen one product to every product named after the code (a protein and its peptides).
bool code_and_name_built_on_it(const std::string& a, const std::string& b) {
  auto built_on = [](const std::string& code, std::string_view name) {
    if (!is_code(code)) return false;
    // the codes a record's text holds (keys are lower case: no spaced forms)
    for (const CodeMatch& m : find_codes(name, CodeContext::Record))
      if (m.canonical == code && m.end - m.begin < name.size()) return true;  // not the whole name
    return false;
  };
  return built_on(a, b) || built_on(b, a);
}

// Lexicon names that cannot name anything on their own: a stopword, a dose, and for drugs an
// ambiguous abbreviation. A condition's abbreviation (SLE, LN) is kept: it expands only to
// conditions.
bool usable_lexicon_name(std::string_view key, bool condition) {
  switch (name_verdict(key)) {
    case NameVerdict::TooShort:
      return condition && key.size() >= 2;
    case NameVerdict::Empty:
    case NameVerdict::Stopword:
    case NameVerdict::DoseOnly:
      return false;
    default:
      return true;
  }
}

struct Neighbour {
  std::string key;
  std::vector<std::string> provenances;
};

}  // namespace

struct AliasExpander::Impl {
  // Lexicon entries, drugs and conditions apart: each entry's keys and provenance.
  struct Entries {
    std::vector<std::vector<std::string>> keys;
    std::vector<std::string> provenance;
    std::unordered_map<std::string, std::vector<std::uint32_t>> of;  ///< key -> entries

    void add(const LexiconEntry& e, bool condition) {
      std::vector<std::string> ks;
      for (const auto& n : e.names) {
        std::string k = alias_key(n);
        if (k.empty() || !usable_lexicon_name(k, condition)) continue;
        if (std::find(ks.begin(), ks.end(), k) == ks.end()) ks.push_back(std::move(k));
      }
      if (ks.size() < 2) return;
      auto id = static_cast<std::uint32_t>(keys.size());
      for (const auto& k : ks) of[k].push_back(id);
      keys.push_back(std::move(ks));
      provenance.push_back(e.provenance);
    }
    const std::vector<std::uint32_t>* find(const std::string& key) const {
      auto it = of.find(key);
      return it == of.end() ? nullptr : &it->second;
    }
  };

  Entries drugs, conditions;
  std::unordered_map<std::string, std::vector<Neighbour>> accepted;  ///< both directions
  std::size_t accepted_count = 0;
  std::unordered_map<std::string, std::size_t> dropped;

  // Both names are in the lexicon, never in the same entry: the lexicon says they differ.
  bool lexicon_disagrees(const std::string& a, const std::string& b) const {
    const auto* ea = drugs.find(a);
    const auto* eb = drugs.find(b);
    if (ea == nullptr || eb == nullptr) return false;
    for (auto x : *ea)
      if (std::find(eb->begin(), eb->end(), x) != eb->end()) return false;
    return true;
  }

  void harvest(const AliasGraph& graph, const DistinctFn& distinct) {
    std::unordered_map<std::string, std::vector<Neighbour>> candidates;
    auto differ = [&](const std::string& a, const std::string& b) {
      return lexicon_disagrees(a, b) || (distinct && distinct(a, b));
    };
    graph.for_each_link(
        [&](const std::string& a, const std::string& b, const std::vector<std::string>& provs) {
          if (!linkable_name(a) || !linkable_name(b)) {
            ++dropped["not a drug name"];
          } else if (code_and_name_built_on_it(a, b)) {
            ++dropped["a code and a name built on it"];
          } else if (provs.size() < kMinRecords && !is_code(a) && !is_code(b)) {
            ++dropped["stated by one record only"];
          } else if (lexicon_disagrees(a, b)) {
            ++dropped["a lexicon files them under different drugs"];
          } else if (distinct && distinct(a, b)) {
            ++dropped["listed as different interventions"];
          } else {
            candidates[a].push_back({b, provs});
            candidates[b].push_back({a, provs});
          }
        });
    // Hubs: names whose links join different drugs to each other.
    std::set<std::string> hubs;
    for (auto& [key, list] : candidates) {
      if (list.size() < 2) continue;
      std::vector<const Neighbour*> sample;
      for (const auto& n : list) sample.push_back(&n);
      std::sort(sample.begin(), sample.end(), [](const Neighbour* x, const Neighbour* y) {
        if (x->provenances.size() != y->provenances.size())
          return x->provenances.size() > y->provenances.size();
        return x->key < y->key;
      });
      if (sample.size() > kHubSample) sample.resize(kHubSample);
      std::size_t pairs = 0;
      for (std::size_t i = 0; i < sample.size() && pairs < kHubPairs; ++i)
        for (std::size_t j = i + 1; j < sample.size() && pairs < kHubPairs; ++j)
          if (differ(sample[i]->key, sample[j]->key)) ++pairs;
      if (pairs >= kHubPairs) hubs.insert(key);
    }
    // A code names one drug: a single record that gives it to another name than the one more
    // records give it to is mistaken ("nsc10023" is prednisone's, not prednisolone's).
    std::set<std::pair<std::string, std::string>> minority;
    for (auto& [key, list] : candidates) {
      if (!is_code(key)) continue;
      std::size_t best = 0;
      for (const auto& n : list)
        if (!is_code(n.key)) best = std::max(best, n.provenances.size());
      for (const auto& n : list)
        if (!is_code(n.key) && n.provenances.size() < kMinRecords && best >= kMinRecords)
          minority.insert(std::minmax(key, n.key));
    }
    for (auto& [key, list] : candidates) {
      for (auto& n : list) {
        bool hub = hubs.contains(key) || hubs.contains(n.key);
        bool outvoted = minority.contains(std::minmax(key, n.key));
        if (key < n.key) {
          if (hub)
            ++dropped["a hub: linked to several different drugs"];
          else if (outvoted)
            ++dropped["a code more records give to another drug"];
          else
            ++accepted_count;
        }
        if (!hub && !outvoted) accepted[key].push_back(std::move(n));
      }
    }
    for (auto& [key, list] : accepted)
      std::sort(list.begin(), list.end(),
                [](const Neighbour& x, const Neighbour& y) { return x.key < y.key; });
  }
};

AliasExpander::AliasExpander(const AliasGraph& harvested, const std::vector<LexiconEntry>& lexicon,
                             DistinctFn distinct)
    : impl_(std::make_unique<Impl>()) {
  for (const auto& e : lexicon) {
    bool condition = e.kind == "condition";
    (condition ? impl_->conditions : impl_->drugs).add(e, condition);
  }
  impl_->harvest(harvested, distinct);
}

AliasExpander::~AliasExpander() = default;
AliasExpander::AliasExpander(AliasExpander&&) noexcept = default;
AliasExpander& AliasExpander::operator=(AliasExpander&&) noexcept = default;

std::vector<AliasReach> AliasExpander::expand(std::string_view name, AliasMode mode) const {
  if (mode == AliasMode::Off) return {};
  const std::string start = alias_key(name);
  if (start.empty()) return {};
  const Impl& d = *impl_;

  struct Node {
    AliasReach reach;
    bool via_lexicon = false;
  };
  std::map<std::string, std::size_t> index;  // key -> position in `nodes`
  std::vector<Node> nodes;
  nodes.push_back({{start, {}, {}}, false});
  index.emplace(start, 0);
  auto add = [&](std::size_t from, const std::string& key, std::vector<std::string> provs,
                 LinkKind kind, bool via_lexicon) {
    if (index.contains(key) || nodes.size() > kMaxExpansion) return;
    Node n{nodes[from].reach, via_lexicon};
    n.reach.key = key;
    n.reach.path.push_back({nodes[from].reach.key, key, std::move(provs)});
    n.reach.kinds.push_back(kind);
    index.emplace(key, nodes.size());
    nodes.push_back(std::move(n));
  };

  // Strong links, breadth first: lexicon entries (not again from a name a lexicon gave) and
  // links between two codes.
  for (std::size_t at = 0; at < nodes.size(); ++at) {
    const std::string key = nodes[at].reach.key;
    if (!nodes[at].via_lexicon)
      if (const auto* entries = d.drugs.find(key))
        for (auto e : *entries)
          for (const auto& other : d.drugs.keys[e])
            add(at, other, {d.drugs.provenance[e]}, LinkKind::Lexicon, true);
    if (!is_code(key)) continue;
    auto found = d.accepted.find(key);
    if (found == d.accepted.end()) continue;
    for (const auto& n : found->second)
      if (is_code(n.key)) add(at, n.key, n.provenances, LinkKind::Code, false);
  }

  if (mode == AliasMode::On) {
    // One step of the remaining harvested links from every name reached so far.
    struct Candidate {
      std::size_t from;
      const Neighbour* n;
    };
    std::vector<Candidate> weak;
    const std::size_t strong = nodes.size();
    for (std::size_t at = 0; at < strong; ++at) {
      auto found = d.accepted.find(nodes[at].reach.key);
      if (found == d.accepted.end()) continue;
      for (const auto& n : found->second)
        if (!index.contains(n.key)) weak.push_back({at, &n});
    }
    std::stable_sort(weak.begin(), weak.end(), [&](const Candidate& x, const Candidate& y) {
      if (nodes[x.from].reach.path.size() != nodes[y.from].reach.path.size())
        return nodes[x.from].reach.path.size() < nodes[y.from].reach.path.size();
      return x.n->provenances.size() > y.n->provenances.size();
    });
    for (const auto& c : weak) add(c.from, c.n->key, c.n->provenances, LinkKind::OtherName, false);
  }

  std::vector<AliasReach> out;
  for (std::size_t i = 1; i < nodes.size() && out.size() < kMaxExpansion; ++i)
    out.push_back(std::move(nodes[i].reach));
  return out;
}

std::vector<std::string> AliasExpander::expand_condition(std::string_view name) const {
  const std::string key = alias_key(name);
  std::vector<std::string> out;
  const auto* entries = impl_->conditions.find(key);
  if (entries == nullptr) return out;
  for (auto e : *entries)
    for (const auto& other : impl_->conditions.keys[e])
      if (other != key && std::find(out.begin(), out.end(), other) == out.end())
        out.push_back(other);
  return out;
}

std::vector<std::string> AliasExpander::drug_keys() const {
  std::set<std::string> keys;
  for (const auto& [k, _] : impl_->drugs.of) keys.insert(k);
  for (const auto& [k, _] : impl_->accepted) keys.insert(k);
  return {keys.begin(), keys.end()};
}

std::vector<std::string> AliasExpander::condition_keys() const {
  std::set<std::string> keys;
  for (const auto& [k, _] : impl_->conditions.of) keys.insert(k);
  return {keys.begin(), keys.end()};
}

std::size_t AliasExpander::accepted_links() const { return impl_->accepted_count; }

const std::unordered_map<std::string, std::size_t>& AliasExpander::dropped_links() const {
  return impl_->dropped;
}

}  // namespace trialsearch
