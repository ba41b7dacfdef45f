#include "analyzers/alias_graph.hpp"

#include <algorithm>
#include <deque>
#include <limits>
#include <stdexcept>
#include <unordered_set>
#include <utility>

#include "analyzers/drug_codes.hpp"
#include "analyzers/strings.hpp"
#include "analyzers/text_fold.hpp"

namespace trialsearch {
namespace {

constexpr std::string_view kHeader = "trialsearch-alias-graph 1";

// Trade-mark and copyright signs, removed before folding (NFKC would turn ™ into "tm").
constexpr std::string_view kMarks[] = {"\u00ae", "\u2122", "\u2120", "\u00a9"};
// Marks typed in ASCII, removed when they end a word after folding.
constexpr std::string_view kAsciiMarks[] = {"(r)", "(tm)", "(c)"};
// Punctuation stripped from either end of a name (after folding). Brackets are handled apart.
constexpr std::string_view kEdgePunctuation[] = {
    " ", ".",  ",", ";", ":",      "!",      "?",      "\"",     "'",      "*",
    "/", "\\", "|", "_", "\u201c", "\u201d", "\u2018", "\u2019", "\u00ab", "\u00bb"};
constexpr std::pair<char, char> kBrackets[] = {{'(', ')'}, {'[', ']'}, {'{', '}'}};

std::string remove_all(std::string_view text, std::string_view needle) {
  std::string out;
  out.reserve(text.size());
  std::size_t from = 0;
  for (std::size_t at = text.find(needle); at != std::string_view::npos;
       at = text.find(needle, from)) {
    out.append(text.substr(from, at - from));
    from = at + needle.size();
  }
  out.append(text.substr(from));
  return out;
}

bool is_word_byte(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || static_cast<unsigned char>(c) >= 0x80;
}

std::string remove_ascii_marks(std::string text) {
  for (std::string_view mark : kAsciiMarks) {
    for (std::size_t at = text.find(mark); at != std::string::npos; at = text.find(mark, at)) {
      std::size_t after = at + mark.size();
      bool attached = at > 0 && is_word_byte(text[at - 1]);
      bool word_ends = after == text.size() || !is_word_byte(text[after]);
      if (attached && word_ends)
        text.erase(at, mark.size());
      else
        at = after;
    }
  }
  return text;
}

/// True when the bracket opening text closes at its very end: "(a (b))" yes, "(a) (b)" no.
bool wrapped_in(std::string_view text, char open, char close) {
  if (text.size() < 2 || text.front() != open || text.back() != close) return false;
  int depth = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == open) ++depth;
    if (text[i] == close && --depth == 0) return i + 1 == text.size();
  }
  return false;
}

/// Strips punctuation at both ends, and brackets there when they wrap the whole name or have
/// no partner ("(belimumab)", "benlysta)"), keeping balanced ones ("saphnelo (anifrolumab)").
std::string_view strip_edges(std::string_view text) {
  for (bool changed = true; changed && !text.empty();) {
    changed = false;
    for (std::string_view p : kEdgePunctuation) {
      if (text.starts_with(p)) {
        text.remove_prefix(p.size());
        changed = true;
      }
      if (text.ends_with(p)) {
        text.remove_suffix(p.size());
        changed = true;
      }
    }
    for (auto [open, close] : kBrackets) {
      if (text.empty()) break;
      if (text.front() != open && text.front() != close && text.back() != open &&
          text.back() != close)
        continue;
      auto opens = std::count(text.begin(), text.end(), open);
      auto closes = std::count(text.begin(), text.end(), close);
      if (wrapped_in(text, open, close)) {
        text = text.substr(1, text.size() - 2);
        changed = true;
      } else if (text.front() == open && opens > closes) {
        text.remove_prefix(1);
        changed = true;
      } else if (text.back() == close && closes > opens) {
        text.remove_suffix(1);
        changed = true;
      } else if (text.front() == close) {
        text.remove_prefix(1);
        changed = true;
      } else if (text.back() == open) {
        text.remove_suffix(1);
        changed = true;
      }
    }
  }
  return text;
}

std::string escape(std::string_view field) {
  std::string out;
  out.reserve(field.size());
  for (char c : field) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

std::string unescape(std::string_view field, std::size_t line_number) {
  std::string out;
  out.reserve(field.size());
  for (std::size_t i = 0; i < field.size(); ++i) {
    if (field[i] != '\\') {
      out.push_back(field[i]);
      continue;
    }
    char next = i + 1 < field.size() ? field[i + 1] : '\0';
    switch (next) {
      case '\\':
        out.push_back('\\');
        break;
      case 't':
        out.push_back('\t');
        break;
      case 'n':
        out.push_back('\n');
        break;
      case 'r':
        out.push_back('\r');
        break;
      default:
        throw std::runtime_error("alias graph line " + std::to_string(line_number) +
                                 ": bad escape sequence");
    }
    ++i;
  }
  return out;
}

}  // namespace

std::string alias_key(std::string_view name) {
  std::string unmarked(name);
  bool ascii = std::all_of(name.begin(), name.end(),
                           [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  if (!ascii)
    for (std::string_view mark : kMarks) unmarked = remove_all(unmarked, mark);
  std::string key = squeeze_spaces(remove_ascii_marks(fold(unmarked)));
  key = std::string(strip_edges(key));
  if (auto code = canonical_code(key)) return *code;
  return key;
}

std::uint64_t AliasGraph::edge_key(NodeId a, NodeId b) {
  if (a > b) std::swap(a, b);
  return (static_cast<std::uint64_t>(a) << 32) | b;
}

AliasGraph::NodeId AliasGraph::intern_node(std::string key) {
  auto found = node_ids_.find(key);
  if (found != node_ids_.end()) return found->second;
  if (keys_.size() >= std::numeric_limits<NodeId>::max())
    throw std::length_error("alias graph: too many keys");
  auto id = static_cast<NodeId>(keys_.size());
  keys_.push_back(key);
  adjacency_.emplace_back();
  node_ids_.emplace(std::move(key), id);
  return id;
}

AliasGraph::ProvId AliasGraph::intern_provenance(std::string_view provenance) {
  std::string text(provenance);
  auto found = provenance_ids_.find(text);
  if (found != provenance_ids_.end()) return found->second;
  auto id = static_cast<ProvId>(provenances_.size());
  provenances_.push_back(text);
  provenance_ids_.emplace(std::move(text), id);
  return id;
}

const AliasGraph::NodeId* AliasGraph::find_node(std::string_view name) const {
  auto found = node_ids_.find(alias_key(name));
  return found == node_ids_.end() ? nullptr : &found->second;
}

void AliasGraph::link_keys(std::string key_a, std::string key_b, std::string_view provenance) {
  if (key_a.empty() || key_b.empty() || key_a == key_b) return;
  NodeId a = intern_node(std::move(key_a));
  NodeId b = intern_node(std::move(key_b));
  ProvId p = intern_provenance(provenance);
  std::uint64_t key = edge_key(a, b);
  auto [edge, inserted] = edges_.try_emplace(key);
  if (inserted) {
    adjacency_[a].push_back(b);
    adjacency_[b].push_back(a);
  }
  auto& provs = edge->second;
  auto at = std::lower_bound(provs.begin(), provs.end(), p);
  if (at != provs.end() && *at == p) return;
  provs.insert(at, p);
  edges_by_provenance_[p].push_back(key);
}

void AliasGraph::link(std::string_view a, std::string_view b, std::string_view provenance) {
  link_keys(alias_key(a), alias_key(b), provenance);
}

void AliasGraph::link_group(const std::vector<std::string>& names, std::string_view provenance) {
  std::string first;
  for (const auto& name : names) {
    std::string key = alias_key(name);
    if (key.empty()) continue;
    if (first.empty())
      first = std::move(key);
    else
      link_keys(first, std::move(key), provenance);
  }
}

void AliasGraph::remove_provenance(std::string_view provenance) {
  auto id = provenance_ids_.find(std::string(provenance));
  if (id == provenance_ids_.end()) return;
  ProvId p = id->second;
  auto listed = edges_by_provenance_.find(p);
  if (listed == edges_by_provenance_.end()) return;
  for (std::uint64_t key : listed->second) {
    auto edge = edges_.find(key);
    if (edge == edges_.end()) continue;
    auto& provs = edge->second;
    provs.erase(std::remove(provs.begin(), provs.end(), p), provs.end());
    if (!provs.empty()) continue;
    edges_.erase(edge);
    auto a = static_cast<NodeId>(key >> 32);
    auto b = static_cast<NodeId>(key & 0xffffffffu);
    auto drop = [this](NodeId from, NodeId to) {
      auto& list = adjacency_[from];
      auto at = std::find(list.begin(), list.end(), to);
      *at = list.back();
      list.pop_back();
    };
    drop(a, b);
    drop(b, a);
  }
  edges_by_provenance_.erase(listed);
}

std::vector<AliasGraph::NodeId> AliasGraph::sorted_neighbours(NodeId node) const {
  std::vector<NodeId> out = adjacency_[node];
  std::sort(out.begin(), out.end(), [this](NodeId x, NodeId y) { return keys_[x] < keys_[y]; });
  return out;
}

std::vector<std::string> AliasGraph::group(std::string_view name) const {
  std::string key = alias_key(name);
  if (key.empty()) return {};
  auto found = node_ids_.find(key);
  if (found == node_ids_.end()) return {key};

  std::unordered_set<NodeId> seen{found->second};
  std::vector<NodeId> level{found->second};
  std::vector<std::string> members{key};
  while (!level.empty() && members.size() < kMaxGroupSize) {
    std::vector<NodeId> next;
    for (NodeId node : level)
      for (NodeId neighbour : adjacency_[node])
        if (seen.insert(neighbour).second) next.push_back(neighbour);
    if (members.size() + next.size() > kMaxGroupSize) {
      std::sort(next.begin(), next.end(),
                [this](NodeId x, NodeId y) { return keys_[x] < keys_[y]; });
      next.resize(kMaxGroupSize - members.size());
    }
    for (NodeId node : next) members.push_back(keys_[node]);
    level = std::move(next);
  }
  std::sort(members.begin(), members.end());
  return members;
}

std::vector<AliasStep> AliasGraph::explain(std::string_view from, std::string_view to) const {
  const NodeId* start = find_node(from);
  const NodeId* goal = find_node(to);
  if (start == nullptr || goal == nullptr || *start == *goal) return {};

  constexpr NodeId kNone = std::numeric_limits<NodeId>::max();
  std::unordered_map<NodeId, NodeId> parent{{*start, kNone}};
  std::deque<NodeId> queue{*start};
  while (!queue.empty() && !parent.contains(*goal)) {
    NodeId node = queue.front();
    queue.pop_front();
    for (NodeId neighbour : sorted_neighbours(node))
      if (parent.try_emplace(neighbour, node).second) queue.push_back(neighbour);
  }
  if (!parent.contains(*goal)) return {};

  std::vector<AliasStep> steps;
  for (NodeId node = *goal; parent.at(node) != kNone; node = parent.at(node)) {
    NodeId previous = parent.at(node);
    AliasStep step{keys_[previous], keys_[node], {}};
    for (ProvId p : edges_.at(edge_key(previous, node)))
      step.provenances.push_back(provenances_[p]);
    std::sort(step.provenances.begin(), step.provenances.end());
    steps.push_back(std::move(step));
  }
  std::reverse(steps.begin(), steps.end());
  return steps;
}

std::vector<std::pair<std::string, std::vector<std::string>>> AliasGraph::links_of(
    std::string_view name) const {
  std::vector<std::pair<std::string, std::vector<std::string>>> out;
  const NodeId* node = find_node(name);
  if (node == nullptr) return out;
  for (NodeId neighbour : sorted_neighbours(*node)) {
    std::vector<std::string> provs;
    for (ProvId p : edges_.at(edge_key(*node, neighbour))) provs.push_back(provenances_[p]);
    std::sort(provs.begin(), provs.end());
    out.emplace_back(keys_[neighbour], std::move(provs));
  }
  return out;
}

void AliasGraph::for_each_link(
    const std::function<void(const std::string&, const std::string&,
                             const std::vector<std::string>&)>& visit) const {
  std::vector<std::string> provs;
  for (const auto& [key, ids] : edges_) {
    provs.clear();
    for (ProvId p : ids) provs.push_back(provenances_[p]);
    visit(keys_[static_cast<NodeId>(key >> 32)], keys_[static_cast<NodeId>(key & 0xffffffffu)],
          provs);
  }
}

std::vector<std::string> AliasGraph::linked_keys() const {
  std::vector<std::string> out;
  for (NodeId n = 0; n < keys_.size(); ++n)
    if (!adjacency_[n].empty()) out.push_back(keys_[n]);
  return out;
}

std::vector<std::vector<std::string>> AliasGraph::groups() const {
  std::vector<std::vector<std::string>> out;
  std::vector<bool> seen(keys_.size(), false);
  for (NodeId root = 0; root < keys_.size(); ++root) {
    if (seen[root] || adjacency_[root].empty()) continue;
    std::vector<std::string> members;
    std::vector<NodeId> stack{root};
    seen[root] = true;
    while (!stack.empty()) {
      NodeId node = stack.back();
      stack.pop_back();
      members.push_back(keys_[node]);
      for (NodeId neighbour : adjacency_[node]) {
        if (seen[neighbour]) continue;
        seen[neighbour] = true;
        stack.push_back(neighbour);
      }
    }
    std::sort(members.begin(), members.end());
    out.push_back(std::move(members));
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string AliasGraph::serialize() const {
  std::vector<std::string> lines;
  lines.reserve(edges_.size());
  for (const auto& [key, provs] : edges_) {
    const std::string* a = &keys_[static_cast<NodeId>(key >> 32)];
    const std::string* b = &keys_[static_cast<NodeId>(key & 0xffffffffu)];
    if (*b < *a) std::swap(a, b);
    std::vector<std::string> names;
    for (ProvId p : provs) names.push_back(escape(provenances_[p]));
    std::sort(names.begin(), names.end());
    std::string line = escape(*a) + '\t' + escape(*b);
    for (const auto& name : names) line += '\t' + name;
    lines.push_back(std::move(line));
  }
  std::sort(lines.begin(), lines.end());
  std::string out(kHeader);
  out += '\n';
  for (const auto& line : lines) out += line + '\n';
  return out;
}

AliasGraph AliasGraph::deserialize(std::string_view text) {
  AliasGraph graph;
  if (text.empty()) return graph;
  std::vector<std::string_view> lines = split_fields(text, '\n');
  if (lines.back().empty()) lines.pop_back();
  if (lines.empty() || lines.front() != kHeader)
    throw std::runtime_error("alias graph line 1: expected header \"" + std::string(kHeader) +
                             "\"");
  for (std::size_t i = 1; i < lines.size(); ++i) {
    std::vector<std::string_view> fields = split_fields(lines[i], '\t');
    std::string a = fields.size() >= 3 ? unescape(fields[0], i + 1) : std::string();
    std::string b = fields.size() >= 3 ? unescape(fields[1], i + 1) : std::string();
    if (a.empty() || b.empty() || a == b)
      throw std::runtime_error("alias graph line " + std::to_string(i + 1) +
                               ": expected two different keys and at least one provenance");
    for (std::size_t f = 2; f < fields.size(); ++f)
      graph.link_keys(a, b, unescape(fields[f], i + 1));
  }
  return graph;
}

}  // namespace trialsearch
