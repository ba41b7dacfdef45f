#include "query/searcher.hpp"

#include <algorithm>
#include <map>
#include <memory>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "analyzers/alias_expansion.hpp"
#include "analyzers/cached_stemmer.hpp"
#include "analyzers/countries.hpp"
#include "analyzers/errors.hpp"
#include "analyzers/fields.hpp"
#include "analyzers/strings.hpp"
#include "analyzers/text_fold.hpp"
#include "indexer/json_writer.hpp"
#include "indexer/synonym_table.hpp"
#include "indexer/trial_codec.hpp"
#include "query/hit_json.hpp"
#include "query/hit_snippet.hpp"
#include "query/ranking.hpp"
#include "query/record_lookup.hpp"
#include "query/trial_database.hpp"

namespace trialsearch {
namespace {

constexpr std::size_t kSnippetSourceLimit = 6000;

// The document ids of every match.
class MatchIds : public Xapian::MatchSpy {
 public:
  void operator()(const Xapian::Document& doc, double) override { ids.push_back(doc.get_docid()); }
  std::vector<Xapian::docid> ids;
};

using ValueCounts = std::map<std::string, std::uint64_t, std::less<>>;

// Adds `n` to the count of each value of a multi-valued facet slot's content ('\x1f'-separated).
void add_values(ValueCounts& counts, std::string_view values, std::uint64_t n) {
  while (!values.empty()) {
    auto stop = std::min(values.find(kFacetSeparator), values.size());
    std::string_view value = values.substr(0, stop);
    values.remove_prefix(std::min(stop + 1, values.size()));
    if (value.empty()) continue;
    // looked up without a copy: the match set repeats a few values many times
    if (auto it = counts.find(value); it != counts.end())
      it->second += n;
    else
      counts.emplace(value, n);
  }
}

// The counts, most frequent first (ties in value order).
std::vector<FacetCount> sorted_counts(const ValueCounts& counts) {
  std::vector<FacetCount> out;
  for (const auto& [value, n] : counts) out.push_back({value, n});
  std::stable_sort(out.begin(), out.end(),
                   [](const FacetCount& a, const FacetCount& b) { return a.count > b.count; });
  return out;
}

// Counts every value of a multi-valued facet slot once per document, for the documents `ids`
// (ascending): the slot's value stream is walked once, alongside them, instead of a value looked
// up per document.
std::vector<FacetCount> count_facet(const Xapian::Database& db, Xapian::valueno slot,
                                    const std::vector<Xapian::docid>& ids) {
  ValueCounts counts;
  auto v = db.valuestream_begin(slot);
  const auto end = db.valuestream_end(slot);
  for (Xapian::docid id : ids) {
    if (v == end) break;
    if (v.get_docid() < id) {
      v.skip_to(id);
      if (v == end) break;
    }
    if (v.get_docid() != id) continue;
    add_values(counts, *v, 1);
  }
  return sorted_counts(counts);
}

// The same counts from a ValueCountMatchSpy (each distinct slot content and its documents).
std::vector<FacetCount> facet_counts(const Xapian::ValueCountMatchSpy& spy) {
  ValueCounts counts;
  for (auto v = spy.values_begin(); v != spy.values_end(); ++v)
    add_values(counts, *v, v.get_termfreq());
  return sorted_counts(counts);
}

// How many trials `query` matches: exact up to `check_at_least` matches (Xapian counts every
// match it visits), an estimate above. Unweighted (BoolWeight): nothing is scored, the posting
// lists are only walked. `counting`'s match spies, if any, see every match.
struct MatchCount {
  std::uint64_t total = 0;
  bool exact = false;
  std::uint64_t at_least = 0;  ///< matches certainly there (Xapian's lower bound)
};
MatchCount count_matches(Xapian::Enquire& counting, const Xapian::Query& query,
                         Xapian::doccount check_at_least) {
  counting.set_query(query);
  Xapian::MSet all = counting.get_mset(0, 0, check_at_least);
  return {all.get_matches_estimated(),
          all.get_matches_lower_bound() == all.get_matches_upper_bound(),
          all.get_matches_lower_bound()};
}
MatchCount count_matches(const Xapian::Database& db, const Xapian::Query& query,
                         Xapian::doccount check_at_least) {
  Xapian::Enquire counting(db);
  counting.set_weighting_scheme(Xapian::BoolWeight());
  return count_matches(counting, query, check_at_least);
}

// The all-words tier alone gives the page when the page is full and its last hit outweighs
// any partial match (`rest_bound`: Xapian's bound for the rest of the query).
bool top_tier_fills_page(const Xapian::MSet& page, std::size_t limit, double rest_bound) {
  return page.size() == limit && page[page.size() - 1].get_weight() > rest_bound;
}

Xapian::valueno facet_slot(std::string_view name) {
  if (const FacetSpec* f = find_facet(name)) return f->slot;
  throw UsageError(fmt::format("unknown facet '{}' (facets: {})", name, facet_names(" ")));
}

std::string snippet_source(const Trial& t) {
  std::string text = t.brief_summary;
  for (const auto* part : {&t.detailed_description, &t.eligibility_criteria}) {
    if (text.size() >= kSnippetSourceLimit) break;
    text += "\n";
    text += *part;
  }
  if (text.size() > kSnippetSourceLimit) text.resize(kSnippetSourceLimit);
  return printable(text);
}

Xapian::valueno sort_slot(SortOrder order) {
  switch (order) {
    case SortOrder::Start:
      return kSlotSortStart;
    case SortOrder::Updated:
      return kSlotSortUpdated;
    case SortOrder::Enrollment:
      return kSlotSortEnrollment;
    case SortOrder::Relevance:
      break;
  }
  return Xapian::BAD_VALUENO;
}

std::string describe_path(const std::vector<AliasStep>& steps) {
  std::string out;
  for (const auto& s : steps) {
    if (!out.empty()) out += "; ";
    out += fmt::format("{} = {}", s.from_key, s.to_key);
    if (!s.provenances.empty()) out += fmt::format(" via {}", s.provenances.front());
  }
  return out;
}

// What each typed word expands to, for tracing a matched alias back to the word.
using Expansions = std::vector<std::pair<std::string, std::vector<AliasReach>>>;

void explain_hit(const Xapian::Enquire& enquire, Xapian::docid id,
                 const std::vector<std::string>& words, const Expansions& expansions, Hit& hit) {
  std::map<std::string, bool> typed;
  for (const auto& w : words) typed[w] = true;
  for (auto t = enquire.get_matching_terms_begin(id); t != enquire.get_matching_terms_end(id);
       ++t) {
    MatchedTerm m;
    m.term = *t;
    m.field = field_of_term(m.term, &m.word);
    bool from_query = typed.count(m.word) > 0;
    if (!from_query)
      for (const auto& w : words)
        if (stem_of(w) == m.word) {
          m.word = w;  // the word as typed ("studies"), not the stem the index holds ("studi")
          from_query = true;
          break;
        }
    if (!from_query) {
      for (const auto& [w, reach] : expansions) {
        auto found = std::find_if(reach.begin(), reach.end(), [&](const AliasReach& r) {
          return r.key == m.word || stem_of(r.key) == m.word;
        });
        if (found != reach.end()) {
          m.via = fmt::format("alias of {}: {}", w, describe_path(found->path));
          break;
        }
      }
    }
    hit.matched.push_back(std::move(m));
  }
}

// What a query searched, gathered from its terms: the words of each field, the aliases each
// synonym group added, the filter terms, and whether value ranges restrict it.
struct QueryParts {
  std::map<std::string, std::set<std::string>> words_by_field;
  std::map<std::string, std::set<std::string>> aliases;  ///< typed word (stem) -> alias words
  std::set<std::string> filters;                         ///< "status recruiting"
  std::set<std::string> ids;
  std::map<std::string, std::set<std::string>> phrases;  ///< phrase -> fields
  std::set<std::string> typed_stems;                     ///< in: the stems of the typed words
  bool ranges = false;
};

void gather(const Xapian::Query& q, QueryParts& parts) {
  const auto type = q.get_type();
  if (type == Xapian::Query::OP_VALUE_RANGE || type == Xapian::Query::OP_VALUE_GE ||
      type == Xapian::Query::OP_VALUE_LE) {
    parts.ranges = true;
    return;
  }
  if (type == Xapian::Query::OP_PHRASE) {
    std::string phrase, f;
    for (auto t = q.get_terms_begin(); t != q.get_terms_end(); ++t) {
      std::string word;
      f = field_of_term(*t, &word);
      phrase += (phrase.empty() ? "" : " ") + word;
    }
    parts.phrases[phrase].insert(f);
    return;
  }
  if (type == Xapian::Query::OP_SYNONYM) {
    // the group's typed word (its stem), then the aliases QueryParser added for it
    std::vector<std::pair<std::string, std::string>> members;  // field, word
    std::string key;
    for (auto t = q.get_terms_begin(); t != q.get_terms_end(); ++t) {
      std::string word;
      std::string f = field_of_term(*t, &word);
      if (key.empty() && parts.typed_stems.count(word)) key = word;
      members.emplace_back(std::move(f), std::move(word));
    }
    if (key.empty() && !members.empty()) key = members.front().second;
    for (const auto& [f, word] : members) {
      if (word == key)
        parts.words_by_field[f].insert(word);
      else
        parts.aliases[key].insert(word);
    }
    return;
  }
  if (type == Xapian::Query::LEAF_TERM) {
    const std::string term = *q.get_terms_begin();
    std::string word;
    std::string f = field_of_term(term, &word);
    const FieldSpec* spec = nullptr;
    for (const auto& fs : kFields)
      if (fs.name == f) spec = &fs;
    if (spec && spec->kind == FieldKind::Filter) {
      const Country* country = f == "country" ? find_country(word) : nullptr;
      parts.filters.insert(f + " " + (country ? std::string(country->name) : word));
    } else if (spec && spec->kind == FieldKind::Id)
      parts.ids.insert(word);
    else
      parts.words_by_field[f].insert(word);
    return;
  }
  for (std::size_t i = 0; i < q.get_num_subqueries(); ++i) gather(q.get_subquery(i), parts);
}

std::string joined(const std::set<std::string>& items, std::string_view sep = ", ") {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : std::string(sep)) + i;
  return out;
}

// The readable --explain summary: words (stems shown as typed), fields, aliases, filters.
std::vector<std::string> summarise(const Xapian::Query& query, const SearchOptions& options,
                                   const std::vector<std::string>& typed) {
  QueryParts parts;
  std::map<std::string, std::string> as_typed;  // stem -> the word typed
  for (const auto& w : typed) as_typed.emplace(stem_of(w), w);
  for (const auto& [stem, w] : as_typed) parts.typed_stems.insert(stem);
  gather(query, parts);
  auto shown = [&](const std::string& stem) {
    auto it = as_typed.find(stem);
    return it == as_typed.end() ? stem : it->second;
  };
  std::vector<std::string> lines;
  std::set<std::string> words;
  for (const auto& [f, ws] : parts.words_by_field)
    for (const auto& w : ws) words.insert(shown(w));
  if (!words.empty()) lines.push_back("words: " + joined(words));
  std::string fields;
  for (const auto& [f, ws] : parts.words_by_field) {
    std::set<std::string> typed_ws;
    for (const auto& w : ws) typed_ws.insert(shown(w));
    fields += (fields.empty() ? "" : "; ") + f + " (" + joined(typed_ws) + ")";
  }
  if (!fields.empty()) lines.push_back("searched in: " + fields);
  for (const auto& [phrase, in_fields] : parts.phrases) {
    std::string typed_phrase;
    std::string_view rest = phrase;
    while (!rest.empty()) {
      auto sp = std::min(rest.find(' '), rest.size());
      typed_phrase += (typed_phrase.empty() ? "" : " ") + shown(std::string(rest.substr(0, sp)));
      rest.remove_prefix(std::min(sp + 1, rest.size()));
    }
    lines.push_back("phrase \"" + typed_phrase + "\" in: " + joined(in_fields));
  }
  for (const auto& [w, alias_words] : parts.aliases)
    lines.push_back("aliases of " + shown(w) + ": " + joined(alias_words));
  if (!parts.ids.empty()) lines.push_back("trials named: " + joined(parts.ids));
  std::set<std::string> filters = parts.filters;
  const SearchFilters& flags = options.filters;
  auto flag = [&](std::string_view name, const std::vector<std::string>& values) {
    if (!values.empty()) filters.insert(fmt::format("--{} {}", name, fmt::join(values, ",")));
  };
  flag("status", flags.status);
  flag("phase", flags.phase);
  flag("type", flags.type);
  flag("country", flags.country);
  flag("sex", flags.sex);
  flag("age-group", flags.age_group);
  flag("funder-type", flags.sponsor_class);
  if (!flags.results.empty()) filters.insert("--results " + flags.results);
  if (flags.healthy) filters.insert("--healthy");
  if (options.filters.age_years) filters.insert(fmt::format("age {}", *options.filters.age_years));
  if (!options.filters.since.empty()) filters.insert("updated since " + options.filters.since);
  if (!filters.empty()) lines.push_back("filters: " + joined(filters, "; "));
  if (parts.ranges) lines.push_back("ranges: restricted by date or enrollment ranges");
  if (!words.empty() && words.size() + parts.ids.size() > 1)
    lines.push_back(is_pasted_text(options.query)
                        ? "pasted text: trials with any of the words, ranked by their weight"
                    : options.mode == MatchMode::Relaxed
                        ? "trials with every word first, then trials with some (--match relaxed)"
                    : options.mode == MatchMode::All ? "trials with every word (--match all)"
                                                     : "trials with any word (--match any)");
  return lines;
}

}  // namespace

std::string field_of_term(std::string_view term, std::string* word) {
  std::string_view t = term;
  const FieldSpec* best = nullptr;
  for (const auto& f : kFields) {
    if (f.prefix.empty() || !t.starts_with(f.prefix)) continue;
    std::string_view rest = t.substr(f.prefix.size());
    // a prefix is followed by a lower-case/digit value or a ':'
    if (!rest.empty() && std::isupper(static_cast<unsigned char>(rest.front())) &&
        rest.front() != ':')
      continue;
    if (!best || f.prefix.size() > best->prefix.size()) best = &f;
  }
  std::string_view value = best ? t.substr(best->prefix.size()) : t;
  if (!value.empty() && value.front() == ':') value.remove_prefix(1);
  if (word) *word = std::string(value);
  return best ? std::string(best->name) : "text";
}

void count_into(const Xapian::Database& db, const Xapian::Query& query,
                const SearchOptions& options, std::uint64_t shown, SearchResult& result) {
  std::vector<Xapian::valueno> facet_slots;
  for (const auto& name : options.facets) facet_slots.push_back(facet_slot(name));
  // The count: a second, unweighted pass over the whole match set, so that it neither depends
  // on the page asked for (a ranked pass stops early, and its estimate moves with --limit) nor
  // on which tier filled the page. Exact up to SearchOptions::exact_count_limit matches, an
  // estimate above (BENCHMARKS.md, "Exact counts"); facets need every match, so with them it is
  // always exact.
  const Xapian::doccount check = !options.facets.empty()
                                     ? db.get_doccount()
                                     : static_cast<Xapian::doccount>(std::min<std::size_t>(
                                           db.get_doccount(), options.exact_count_limit));
  // A shard set counts on each shard: Xapian's own ValueCountMatchSpy crosses the remote
  // protocol (MatchIds would not), one per facet, its joined values split here.
  const bool remote_counts = !options.facets.empty() && is_shard_set(db);
  std::vector<std::unique_ptr<Xapian::ValueCountMatchSpy>> spies;
  MatchIds matches;
  Xapian::Enquire counting(db);
  counting.set_weighting_scheme(Xapian::BoolWeight());
  if (remote_counts) {
    for (Xapian::valueno slot : facet_slots) {
      spies.push_back(std::make_unique<Xapian::ValueCountMatchSpy>(slot));
      counting.add_matchspy(spies.back().get());
    }
  } else if (!options.facets.empty()) {
    counting.add_matchspy(&matches);
  }
  MatchCount count = count_matches(counting, query, check);
  result.total = count.total;
  result.total_exact = count.exact;
  result.total_at_least = count.at_least;
  // An estimate is never below what the page shows.
  if (shown > options.offset && result.total < shown) {
    result.total = shown;
    result.total_exact = false;
  }
  result.total_at_least = std::max<std::uint64_t>(result.total_at_least, shown);
  if (remote_counts) {
    for (std::size_t i = 0; i < options.facets.size(); ++i)
      result.facets.push_back({options.facets[i], facet_counts(*spies[i])});
  } else if (!options.facets.empty()) {
    // Facets count the whole match set: the counting pass lists every match, while the ranked
    // pass above stays free to stop early. At 600k, "cancer" with two facets: 112 ms as one
    // scored pass reading each match's slots.
    if (!std::is_sorted(matches.ids.begin(), matches.ids.end()))
      std::sort(matches.ids.begin(), matches.ids.end());
    for (std::size_t i = 0; i < options.facets.size(); ++i)
      result.facets.push_back({options.facets[i], count_facet(db, facet_slots[i], matches.ids)});
  }
}

Hit read_hit(const Xapian::Document& doc, const HitSnippet& snippet, const SearchOptions& options) {
  Hit hit;
  if (!options.records) {
    hit.trial.nct_id = nct_id_of(doc);
    return hit;
  }
  hit.trial = trial_from_record(doc.get_data(), RecordParts::Hit);
  hit.snippet = snippet(snippet_source(hit.trial), options.highlight_start, options.highlight_end);
  return hit;
}

SearchResult search(const Xapian::Database& db, const SearchOptions& options) {
  for (const auto& name : options.facets) facet_slot(name);  // a usage error before any work
  TrialQueryParser parser(db);
  parser.set_alias_mode(options.aliases);
  SearchResult result;
  result.query = options.query;
  QueryTiers tiers = parser.parse_tiers(options.query, options.mode);
  Xapian::Query filter = parser.filter(options.filters);
  auto filtered = [&](const Xapian::Query& q) {
    return options.filters.empty() ? q : Xapian::Query(Xapian::Query::OP_FILTER, q, filter);
  };
  Xapian::Query query = filtered(tiers.query);
  result.parsed = query.get_description();

  Xapian::Enquire enquire(db);
  apply_ranking(enquire);
  Xapian::MSet mset;
  bool done = false;
  // In relevance order a few hits past the page, to settle near-ties at its end (settled_page).
  const bool by_relevance = options.sort == SortOrder::Relevance;
  const auto want = static_cast<Xapian::doccount>(options.limit) + (by_relevance ? kTieMargin : 0);
  // Relevance order: the all-words tier alone, when its last hit outweighs any partial match
  // (Xapian's bound for the rest of the query), gives the same hits as the whole query without
  // scanning every trial that has one of the words.
  if (!tiers.top.empty() && by_relevance && options.limit > 0) {
    Xapian::Enquire rest(db);
    apply_ranking(rest);
    rest.set_query(filtered(tiers.rest));
    Xapian::MSet bound = rest.get_mset(0, 0);
    enquire.set_query(filtered(tiers.top));
    mset = enquire.get_mset(options.offset, want);
    done = top_tier_fills_page(mset, want, bound.get_max_possible());
  }
  if (!done) {
    enquire.set_query(query);
    if (auto slot = sort_slot(options.sort); slot != Xapian::BAD_VALUENO)
      enquire.set_sort_by_value_then_relevance(slot, true);
    mset = enquire.get_mset(options.offset, want);
  }
  std::vector<Xapian::MSetIterator> page;
  if (by_relevance) {
    page = settled_page(mset, options.limit);
  } else {  // sort keys are exact: Xapian's order
    for (auto it = mset.begin(); it != mset.end() && page.size() < options.limit; ++it)
      page.push_back(it);
  }
  count_into(db, query, options, options.offset + page.size(), result);

  // "Did you mean" when nothing matched (not merely when the page is empty: --limit 0), or when
  // no trial has every word of several but the corrected words do: then the hits are partial
  // matches (`systemic lupus erythmatosus`) and the correction is the better search.
  if (!options.query.empty() && result.total == 0) {
    result.did_you_mean = parser.corrected();
  } else if (!options.query.empty() && options.mode == MatchMode::Relaxed &&
             split_words(parser.fold_query(options.query)).size() >= 2 &&
             count_matches(db, filtered(parser.parse(options.query, MatchMode::All)), 1).total ==
                 0) {
    std::string corrected = parser.corrected();
    if (!corrected.empty() && corrected != parser.fold_query(options.query)) {
      TrialQueryParser corrected_parser(db);
      MatchCount all_words =
          count_matches(db, filtered(corrected_parser.parse(corrected, MatchMode::All)),
                        static_cast<Xapian::doccount>(
                            std::min<std::size_t>(db.get_doccount(), options.exact_count_limit)));
      if (all_words.total > 0) {
        result.did_you_mean = corrected;
        result.did_you_mean_matches = all_words.total;
        result.no_all_words_match = true;
      }
    }
  }

  Expansions expansions;
  std::vector<std::string> words;
  if (options.explain) {
    words = split_words(parser.fold_query(options.query));  // to trace synonyms to what was typed
    result.explain_summary = summarise(tiers.query, options, words);
    AliasExpander expander = load_alias_expander(db);
    for (std::size_t i = 0; i < words.size(); ++i)  // single words and two-word names
      for (std::size_t n = 1; n <= 2 && i + n <= words.size(); ++n) {
        std::string name = words[i];
        if (n == 2) name += " " + words[i + 1];
        auto reach = expander.expand(name, options.aliases);
        if (!reach.empty()) expansions.emplace_back(name, std::move(reach));
      }
  }
  HitSnippet snippet(query, kHitSnippetLength);
  for (const auto& it : page) {
    Hit hit = read_hit(it.get_document(), snippet, options);
    hit.rank = options.offset + result.hits.size() + 1;
    hit.weight = it.get_weight();
    hit.percent = it.get_percent();
    if (options.explain && options.records) explain_hit(enquire, *it, words, expansions, hit);
    result.hits.push_back(std::move(hit));
  }
  return result;
}

std::string hit_to_json(const Hit& hit) {
  JsonWriter w;
  begin_hit_json(w, hit.rank, hit.weight, hit.percent, hit.trial);
  w.key("snippet").value(hit.snippet);
  if (!hit.matched.empty()) {
    w.key("explain").begin_array();
    for (const auto& m : hit.matched) {
      w.begin_object().key("field").value(m.field).key("term").value(m.term).key("word").value(
          m.word);
      w.field_if("via", m.via);
      w.end_object();
    }
    w.end_array();
  }
  w.end_object();
  return w.take();
}

std::string search_result_to_json(const SearchResult& r) {
  JsonWriter w;
  w.begin_object();
  w.key("query").value(r.query);
  w.key("parsed").value(r.parsed);
  w.key("total").value(r.total);
  w.key("total_exact").value(r.total_exact);
  if (!r.total_exact) w.key("total_at_least").value(r.total_at_least);
  w.field_if("did_you_mean", r.did_you_mean);
  if (r.no_all_words_match) {
    w.key("all_words_matched").value(false);
    w.key("did_you_mean_matches").value(r.did_you_mean_matches);
  }
  if (!r.explain_summary.empty()) {
    w.key("explain_summary").begin_array();
    for (const auto& line : r.explain_summary) w.value(line);
    w.end_array();
  }
  w.key("results").begin_array();
  for (const auto& h : r.hits) w.raw(hit_to_json(h));
  w.end_array();
  w.key("facets").begin_object();
  for (const auto& f : r.facets) {
    w.key(f.name).begin_array();
    for (const auto& c : f.counts)
      w.begin_object().key("value").value(c.value).key("count").value(c.count).end_object();
    w.end_array();
  }
  w.end_object();
  w.end_object();
  return w.take();
}

}  // namespace trialsearch
