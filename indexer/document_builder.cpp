#include "indexer/document_builder.hpp"

#include <algorithm>
#include <cctype>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include <fmt/format.h>

#include "analyzers/alias_graph.hpp"
#include "analyzers/alias_rules.hpp"
#include "analyzers/cached_stemmer.hpp"
#include "analyzers/drug_codes.hpp"
#include "analyzers/fields.hpp"
#include "analyzers/strings.hpp"
#include "analyzers/text_fold.hpp"
#include "indexer/normalize.hpp"
#include "indexer/trial_codec.hpp"

namespace trialsearch {
namespace {

// Gap in term positions between separate pieces of text, so that a phrase never spans two
// conditions, two sites or two fields.
constexpr Xapian::termpos kPieceGap = 100;

std::uint64_t fnv1a(std::string_view data) {
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : data) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

void add_filter(Xapian::Document& doc, const FieldSpec& spec, std::string_view value) {
  std::string v = filter_value(value);
  if (!v.empty()) doc.add_boolean_term(make_term(spec.prefix, v));
}

void set_date(Xapian::Document& doc, Slot slot, const std::string& iso) {
  if (auto n = date_number(iso)) doc.add_value(slot, Xapian::sortable_serialise(*n));
}

std::string join_facet(const std::vector<std::string>& values) {
  std::set<std::string> unique;
  for (const auto& v : values) {
    std::string f = filter_value(v);
    if (!f.empty()) unique.insert(std::move(f));
  }
  std::string out;
  for (const auto& v : unique) {
    if (!out.empty()) out += kFacetSeparator;
    out += v;
  }
  return out;
}

// Words worth offering as spelling corrections: alphabetic, 4 letters or more.
void add_spelling_words(std::string_view text, std::vector<std::string>& out) {
  std::string folded = fold(text);
  std::string word;
  auto flush = [&] {
    if (word.size() >= 4 && fits_spelling_word(word)) out.push_back(word);
    word.clear();
  };
  for (char c : folded) {
    if (std::isalpha(static_cast<unsigned char>(c)))
      word += c;
    else
      flush();
  }
  flush();
}

// "CC-97540 (BMS-986353)" in a title: two codes for one product.
void title_code_pairs(std::string_view title, std::vector<std::vector<std::string>>& groups) {
  auto codes = find_codes(title, CodeContext::Record);
  for (std::size_t i = 0; i + 1 < codes.size(); ++i) {
    std::string_view between = title.substr(codes[i].end, codes[i + 1].begin - codes[i].end);
    if (trim(between) == "(")
      groups.push_back(
          {std::string(title.substr(codes[i].begin, codes[i].end - codes[i].begin)),
           std::string(title.substr(codes[i + 1].begin, codes[i + 1].end - codes[i + 1].begin))});
  }
}

// True when every arm that names the intervention is a placebo, sham or no-intervention arm
// (and one does): what such an arm gives is not the drug its other names may mention
// ("Placebo", other name "placebo to match bupropion").
bool placebo_only(const Trial& t, std::string_view intervention_name) {
  const std::string name = fold(intervention_name);
  bool named = false;
  for (const auto& arm : t.arm_groups)
    for (const auto& given : arm.interventions) {
      std::string g = fold(given);
      if (g != name && !g.ends_with(": " + name)) continue;
      if (!placebo_arm_type(arm.type)) return false;
      named = true;
    }
  return named;
}

// The alias groups a record states: an intervention's name with those of its other names that
// can name a drug (alias_rules.hpp), when its own name can and it is not given only in placebo
// arms; an other name that is another intervention's own name in the record is that other
// drug, not this one. And "CODE (OTHER-CODE)" pairs in titles.
void harvest_alias_groups(const Trial& t, std::vector<std::vector<std::string>>& groups) {
  std::set<std::string> primaries;
  for (const auto& i : t.interventions) primaries.insert(alias_key(i.name));
  for (const auto& i : t.interventions) {
    const std::string key = alias_key(i.name);
    if (!linkable_name(key) || placebo_only(t, i.name)) continue;
    std::vector<std::string> names{i.name};
    for (const auto& o : i.other_names) {
      std::string other = alias_key(o);
      if (other == key || !linkable_name(other) || primaries.contains(other)) continue;
      names.push_back(o);
    }
    if (names.size() > 1) groups.push_back(std::move(names));
  }
  title_code_pairs(t.brief_title, groups);
  title_code_pairs(t.official_title, groups);
}

// The record JSON up to its origin: the same for a trial read from any source.
std::string hash_of_content(std::string_view json_without_origin) {
  return fmt::format("{:016x}", fnv1a(json_without_origin));
}

}  // namespace

std::string id_term(std::string_view nct_id) { return make_term(field("id").prefix, fold(nct_id)); }

std::string nct_id_of_term(std::string_view id_term) {
  std::string id(id_term.substr(field("id").prefix.size()));
  for (char& c : id) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return id;
}

std::string content_hash(const Trial& trial) {
  std::size_t content_end = 0;
  std::string json = trial_to_json(trial, content_end);
  return hash_of_content(std::string_view(json).substr(0, content_end));
}

std::string document_within_limits(const Xapian::Document& doc) {
  for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t)
    if ((*t).size() > kMaxTermBytes)
      return fmt::format("term of {} bytes (Xapian takes at most {}): {}...", (*t).size(),
                         kMaxTermBytes, (*t).substr(0, 40));
  return {};
}

DocumentBuilder::DocumentBuilder() {
  generator_.set_max_word_length(kMaxWordBytes);
  generator_.set_stemmer(cached_stemmer(kStemLanguage));
  generator_.set_stemming_strategy(Xapian::TermGenerator::STEM_ALL);
}

// The generator holds a handle to the same document that build() fills (set_document()).
void DocumentBuilder::index_text(const FieldSpec& spec, std::string_view text,
                                 unsigned weight_override) {
  if (trim(text).empty()) return;
  const unsigned weight = weight_override ? weight_override : spec.weight;
  const std::string folded = fold(text);
  const std::string prefix(spec.prefix);
  if (spec.positional) {
    generator_.index_text(folded, weight, prefix);
    generator_.increase_termpos(kPieceGap);
  } else {
    generator_.index_text_without_positions(folded, weight, prefix);
  }
  if (spec.in_free_text) {
    generator_.index_text(folded, weight);
    generator_.increase_termpos(kPieceGap);
  }
  // Drug and product codes get one canonical term each, so CC-97540, CC97540 and "CC 97540"
  // all meet at "cc97540".
  for (const auto& code : find_codes(text, CodeContext::Record)) {
    generator_.index_text_without_positions(code.canonical, weight, prefix);
    if (spec.in_free_text) generator_.index_text_without_positions(code.canonical, weight);
  }
}

std::optional<BuiltDocument> DocumentBuilder::try_build(const Trial& trial, std::string& why) {
  try {
    return build(trial);
  } catch (const std::exception& e) {
    why = fmt::format("{}: cannot index: {}", trial.nct_id, e.what());
  } catch (const Xapian::Error& e) {
    why = fmt::format("{}: cannot index: {}", trial.nct_id, e.get_msg());
  }
  return std::nullopt;
}

BuiltDocument DocumentBuilder::build(const Trial& t) {
  BuiltDocument out;
  Xapian::Document doc;
  generator_.set_document(doc);
  generator_.set_termpos(0);

  out.nct_id = t.nct_id;
  out.id_term = id_term(t.nct_id);
  out.status = t.overall_status;
  doc.add_boolean_term(out.id_term);
  // The id as a word too, so that typing it finds the trial.
  doc.add_term(fold(t.nct_id), field("title").weight);

  index_text(field("title"), t.brief_title);
  index_text(part("official-title"), t.official_title);
  index_text(part("acronym"), t.acronym);
  for (const auto& c : t.conditions) index_text(field("condition"), c);
  for (const auto& k : t.keywords) index_text(field("keyword"), k);

  for (const auto& c : t.conditions) {
    std::string key = alias_key(c);
    if (!key.empty())
      doc.add_term(make_term(field("condition-name").prefix, key), field("condition").weight);
  }
  // each keyword whole, keyed as a condition is: a name `match` can find in a description
  for (const auto& k : t.keywords)
    if (std::string key = alias_key(k); !key.empty())
      doc.add_boolean_term(make_term(field("keyword-name").prefix, key));

  for (const auto& i : t.interventions) {
    index_text(field("intervention"), i.name);
    for (const auto& o : i.other_names) index_text(part("other-name"), o);
    index_text(part("intervention-description"), i.description);
    std::vector<std::string> names{i.name};
    names.insert(names.end(), i.other_names.begin(), i.other_names.end());
    for (const auto& n : names) {
      std::string key = alias_key(n);
      if (key.empty()) continue;
      doc.add_term(make_term(field("drug-name").prefix, key), field("intervention").weight);
      if (auto code = canonical_code(n))
        doc.add_boolean_term(make_term(field("drug-code").prefix, *code));
    }
    if (std::string key = alias_key(i.name); !key.empty())
      doc.add_boolean_term(make_term(field("drug-primary").prefix, key));
    add_spelling_words(i.name, out.spelling_words);
  }
  harvest_alias_groups(t, out.alias_groups);

  for (const auto& o : t.primary_outcomes) {
    index_text(field("outcome"), o.measure);
    index_text(part("primary-outcome-description"), o.description);
  }
  for (const auto& o : t.secondary_outcomes) {
    index_text(part("secondary-outcome-measure"), o.measure);
    index_text(part("secondary-outcome-description"), o.description);
  }
  index_text(part("brief-summary"), t.brief_summary);
  index_text(part("detailed-description"), t.detailed_description);
  for (const auto& a : t.arm_groups) {
    index_text(part("arm-label"), a.label);
    index_text(part("arm-description"), a.description);
  }
  index_text(field("sponsor"), t.lead_sponsor.name);
  for (const auto& c : t.collaborators) index_text(part("collaborator"), c.name);
  index_text(field("other-id"), t.org_study_id);
  for (const auto& s : t.secondary_ids) index_text(field("other-id"), s);
  for (const auto& m : t.condition_mesh) index_text(field("mesh"), m);
  for (const auto& m : t.intervention_mesh) index_text(field("mesh"), m);
  for (const auto& m : t.condition_mesh_ancestors) index_text(part("mesh-ancestor"), m);
  for (const auto& m : t.intervention_mesh_ancestors) index_text(part("mesh-ancestor"), m);
  index_text(field("eligibility"), t.eligibility_criteria);

  Xapian::LatLongCoords coords;
  std::vector<std::string> countries;
  for (const auto& s : t.sites) {
    index_text(field("site"), s.facility);
    index_text(field("site"), fmt::format("{} {} {}", s.city, s.state, s.country));
    index_text(field("city"), s.city);
    if (!s.country.empty()) countries.push_back(s.country);
    if (s.latitude && s.longitude) {
      try {
        coords.append(Xapian::LatLongCoord(*s.latitude, *s.longitude));
      } catch (const Xapian::InvalidArgumentError&) {
        // out-of-range coordinates in the record: keep the site, drop the point
      }
    }
  }

  // Filters
  add_filter(doc, field("status"), t.overall_status);
  for (const auto& p : t.phases) add_filter(doc, field("phase"), p);
  add_filter(doc, field("type"), t.study_type);
  add_filter(doc, field("sex"), t.sex);
  if (t.healthy_volunteers) add_filter(doc, field("healthy"), *t.healthy_volunteers ? "yes" : "no");
  for (const auto& a : t.std_ages) add_filter(doc, field("age-group"), a);
  for (const auto& c : countries) add_filter(doc, field("country"), c);
  add_filter(doc, field("sponsor-class"), t.lead_sponsor.agency_class);
  add_filter(doc, field("has-results"), t.has_results ? "yes" : "no");
  for (const auto* list : {&t.condition_mesh, &t.intervention_mesh, &t.condition_mesh_ancestors,
                           &t.intervention_mesh_ancestors})
    for (const auto& m : *list) add_filter(doc, field("mesh-term"), m);
  for (const auto* list : {&t.condition_mesh_ids, &t.intervention_mesh_ids})
    for (const auto& m : *list) add_filter(doc, field("mesh-id"), m);

  // Values
  set_date(doc, kSlotStartDate, t.start_date);
  set_date(doc, kSlotPrimaryCompletion, t.primary_completion_date);
  set_date(doc, kSlotCompletionDate, t.completion_date);
  set_date(doc, kSlotFirstPosted, t.first_posted);
  set_date(doc, kSlotLastUpdate, t.last_update_posted);
  if (t.enrollment)
    doc.add_value(kSlotEnrollment, Xapian::sortable_serialise(static_cast<double>(*t.enrollment)));
  doc.add_value(kSlotMinAgeDays, Xapian::sortable_serialise(t.minimum_age.days.value_or(0)));
  doc.add_value(kSlotMaxAgeDays,
                Xapian::sortable_serialise(t.maximum_age.days.value_or(1'000'000)));
  if (!coords.empty()) doc.add_value(kSlotCoords, coords.serialise());
  // One serialisation gives both the record data and its content hash.
  std::size_t content_end = 0;
  std::string data = trial_to_json(t, content_end);
  out.content_hash = hash_of_content(std::string_view(data).substr(0, content_end));
  doc.add_value(kSlotContentHash, out.content_hash);
  doc.add_value(kSlotNctId, t.nct_id);
  doc.add_value(kSlotFacetStatus, join_facet({t.overall_status}));
  doc.add_value(kSlotFacetPhase, join_facet(t.phases));
  doc.add_value(kSlotFacetCountry, join_facet(countries));
  doc.add_value(kSlotFacetType, join_facet({t.study_type}));
  doc.add_value(kSlotFacetSponsorClass, join_facet({t.lead_sponsor.agency_class}));
  for (auto [sort, from] :
       {std::pair{kSlotSortStart, kSlotStartDate}, std::pair{kSlotSortUpdated, kSlotLastUpdate},
        std::pair{kSlotSortEnrollment, kSlotEnrollment}})
    doc.add_value(sort, sort_key(doc.get_value(from), t.nct_id));

  add_spelling_words(t.brief_title, out.spelling_words);
  for (const auto& c : t.conditions) add_spelling_words(c, out.spelling_words);
  std::sort(out.spelling_words.begin(), out.spelling_words.end());
  out.spelling_words.erase(std::unique(out.spelling_words.begin(), out.spelling_words.end()),
                           out.spelling_words.end());

  doc.set_data(record_data(data));
  // The door: every term above comes from make_term() or the TermGenerator, both within the
  // limits, so this only fails if a new term is added some other way.
  if (auto why = document_within_limits(doc); !why.empty()) throw std::length_error(why);
  out.document = std::move(doc);
  return out;
}

}  // namespace trialsearch
