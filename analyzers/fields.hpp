/// @brief The field schema: every Xapian prefix, value slot and weight, declared once for the
/// indexer and the query parser.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace trialsearch {

/// Bump when terms, prefixes, slots or analysis change: a database built with another version
/// is refused with a message that says to reindex.
inline constexpr std::string_view kSchemaVersion = "trialsearch-schema-9";

/// Word terms are stems, and only stems: the indexer's TermGenerator and the QueryParser both
/// stem every word (STEM_ALL), phrases included, so "nephritis" is indexed and searched as
/// "nephriti" with its positions. One copy of each word instead of a word and a `Z` stem cut
/// indexing time by a third (BENCHMARKS.md, "one term per word").
inline constexpr std::string_view kStemLanguage = "english";

enum class FieldKind {
  Text,    ///< free text: analysed, field-prefixed and (if in_free_text) unprefixed too
  Filter,  ///< boolean filter term: one normalised value per term, no wdf
  Id,      ///< unique id term (one per document)
};

struct FieldSpec {
  std::string_view name;         ///< canonical field name, shown in --explain
  std::string_view query_names;  ///< space-separated names accepted as `name:` in queries
                                 ///< (letters only: QueryParser splits a name at a hyphen)
  std::string_view prefix;       ///< Xapian term prefix; nothing else in the code spells one
  FieldKind kind;
  unsigned weight;    ///< wdf increment for Text fields (ClinicalTrials.gov weights x10)
  bool in_free_text;  ///< Text fields also indexed without prefix for unfielded search
  bool positional;    ///< Text fields: word positions kept, so quoted phrases match in the field
  std::string_view help;  ///< what `name:` searches, for `search --help` and the README
};

// clang-format off
inline constexpr std::array kFields{
  //          name              query names                   prefix  kind               weight free   pos
  FieldSpec{"id",              "id nct",                     "Q",    FieldKind::Id,     0, false, false,
            "an NCT id (id:NCT05869955); other ids (sponsor protocol numbers) as a phrase"},
  FieldSpec{"title",           "title",                      "S",    FieldKind::Text,   9, true,  true,
            "brief and official titles, acronym"},
  FieldSpec{"condition",       "condition cond",             "XC",   FieldKind::Text,   8, true,  true,
            "conditions"},
  FieldSpec{"intervention",    "intervention drug",          "XI",   FieldKind::Text,   8, true,  true,
            "intervention names and their other names, drug codes and aliases"},
  FieldSpec{"keyword",         "keyword",                    "K",    FieldKind::Text,   6, true,  true,
            "keywords"},
  FieldSpec{"outcome",         "outcome",                    "XO",   FieldKind::Text,   5, false, false,
            "primary and secondary outcome measures"},
  FieldSpec{"summary",         "summary description",        "XB",   FieldKind::Text,   4, false, false,
            "brief summary, detailed description, arm groups"},
  FieldSpec{"sponsor",         "sponsor",                    "XSP",  FieldKind::Text,   4, true,  true,
            "lead sponsor and collaborators"},
  FieldSpec{"other-id",        "otherid",                    "XID",  FieldKind::Text,   4, true,  true,
            "other study ids: sponsor protocol numbers, EudraCT, ISRCTN..."},
  FieldSpec{"mesh",            "mesh",                       "XM",   FieldKind::Text,   3, true,  true,
            "MeSH terms of conditions and interventions, and their ancestors"},
  FieldSpec{"site",            "site location facility",     "XL",   FieldKind::Text,   3, true,  true,
            "site facilities, with their city, state and country"},
  FieldSpec{"city",            "city",                       "XCI",  FieldKind::Text,   3, false, true,
            "site cities"},
  FieldSpec{"eligibility",     "eligibility criteria",       "XE",   FieldKind::Text,   1, false, false,
            "eligibility criteria"},
  FieldSpec{"status",          "status",                     "XST",  FieldKind::Filter, 0, false, false,
            "overall status: recruiting, \"not yet recruiting\", completed..."},
  FieldSpec{"phase",           "phase",                      "XPH",  FieldKind::Filter, 0, false, false,
            "phase: early1, 1, 2, 3, 4, 1/2, na"},
  FieldSpec{"type",            "type",                       "XTY",  FieldKind::Filter, 0, false, false,
            "study type: interventional, observational, \"expanded access\""},
  FieldSpec{"sex",             "sex",                        "XSX",  FieldKind::Filter, 0, false, false,
            "sex of participants: all, female, male"},
  FieldSpec{"healthy",         "healthy",                    "XHV",  FieldKind::Filter, 0, false, false,
            "accepts healthy volunteers: yes, no"},
  FieldSpec{"age-group",       "agegroup",                   "XAG",  FieldKind::Filter, 0, false, false,
            "age group: child, adult, \"older adult\""},
  FieldSpec{"country",         "country",                    "XCO",  FieldKind::Filter, 0, false, false,
            "a site's country: name or ISO 3166 code (germany, DE, DEU, USA, UK)"},
  FieldSpec{"sponsor-class",   "sponsorclass",               "XSC",  FieldKind::Filter, 0, false, false,
            "funder type: nih, fed, industry, other..."},
  FieldSpec{"has-results",     "results",                    "XRS",  FieldKind::Filter, 0, false, false,
            "results posted: yes, no"},
  FieldSpec{"drug-name",       "drugname",                   "XDN",  FieldKind::Filter, 0, false, false,
            "an intervention name exactly, aliases included"},
  FieldSpec{"drug-code",       "drugcode",                   "XDC",  FieldKind::Filter, 0, false, false,
            "a drug code exactly (cc97540)"},
  FieldSpec{"drug-primary",    "drugprimary",                "XDP",  FieldKind::Filter, 0, false, false,
            "an intervention's own name exactly (not its other names)"},
  FieldSpec{"condition-name",  "conditionname",              "XCN",  FieldKind::Filter, 0, false, false,
            "a listed condition exactly, whole (\"lupus nephritis\"); what SLE, LN expand to"},
  FieldSpec{"keyword-name",    "keywordname",                "XKN",  FieldKind::Filter, 0, false, false,
            "a keyword exactly, whole (\"quality of life\")"},
  FieldSpec{"mesh-term",       "meshterm",                   "XMT",  FieldKind::Filter, 0, false, false,
            "a MeSH term exactly (\"lupus nephritis\")"},
  FieldSpec{"mesh-id",         "meshid",                     "XMI",  FieldKind::Filter, 0, false, false,
            "a MeSH id (D008181)"},
};
// clang-format on

/// The spec of a field by canonical name, at compile time: a name not in kFields does not
/// compile (a programming error, not user input; a name a user typed goes through
/// field_by_query_name).
consteval const FieldSpec& field(std::string_view name) {
  for (const auto& f : kFields)
    if (f.name == name) return f;
  throw "no such field in the schema";  // not a constant expression: a compile error
}

/// Long text fields that are indexed once, with their prefix only, and that unfielded words
/// search as well as the free-text index (QueryParser maps the default field to all of them).
/// Indexing the bulk of a record's text once instead of twice is what keeps indexing fast
/// (taking outcomes out of the free-text index cut a quarter of indexing time at 100k).
/// They are also the fields without positions (`positional` false below): most of a record's
/// word positions would be in them, and a phrase is meant for names (titles, conditions, drugs).
inline constexpr std::array<const FieldSpec*, 3> kDefaultSearchFields{
    &field("summary"), &field("eligibility"), &field("outcome")};

/// The parts of a record indexed into a field with a weight of their own; every other part
/// (the brief title, a condition, an intervention's name...) has its field's weight. Weights are
/// wdf increments, like FieldSpec::weight.
struct PartSpec {
  std::string_view part;  ///< the record part, as DocumentBuilder::build names it
  const FieldSpec* field;
  unsigned weight;
};

// clang-format off
inline constexpr std::array kPartWeights{
  PartSpec{"official-title",                &field("title"),        8},
  PartSpec{"acronym",                       &field("title"),        10},
  PartSpec{"other-name",                    &field("intervention"), 7},
  PartSpec{"intervention-description",      &field("intervention"), 2},
  PartSpec{"primary-outcome-description",   &field("outcome"),      1},
  PartSpec{"secondary-outcome-measure",     &field("outcome"),      3},
  PartSpec{"secondary-outcome-description", &field("outcome"),      1},
  PartSpec{"brief-summary",                 &field("summary"),      6},
  PartSpec{"detailed-description",          &field("summary"),      3},
  PartSpec{"arm-label",                     &field("summary"),      3},
  PartSpec{"arm-description",               &field("summary"),      2},
  PartSpec{"collaborator",                  &field("sponsor"),      3},
  PartSpec{"mesh-ancestor",                 &field("mesh"),         2},
};
// clang-format on

/// A record part's row of kPartWeights, at compile time (an unknown part does not compile).
consteval const PartSpec& part(std::string_view name) {
  for (const auto& p : kPartWeights)
    if (p.part == name) return p;
  throw "no such record part in kPartWeights";
}

/// The spec for a name a user typed before a colon (`cond`, `drug`...), if any.
std::optional<FieldSpec> field_by_query_name(std::string_view name);

/// Xapian 1.4's limits (glass backend, measured): a term of more than 245 bytes is refused
/// ("Term too long"), and a B-tree key of more than 255 bytes ("Key too long"), which is a
/// spelling word of more than 254 bytes (its key is "W" + word) or a synonym key of more than
/// 255. Either error cancels everything since the last commit, so they are kept at the door:
/// make_term() cuts terms, and words or keys over the limits are left out of the spelling and
/// synonym tables (fits_spelling_word, fits_synonym_key).
inline constexpr std::size_t kMaxTermBytes = 245;
inline constexpr std::size_t kMaxSpellingWordBytes = 254;
inline constexpr std::size_t kMaxSynonymKeyBytes = 255;
/// Words of text the TermGenerator indexes are at most this long (longer ones, such as a run of
/// letters pasted without spaces, are not indexed): with any prefix, well within kMaxTermBytes.
inline constexpr unsigned kMaxWordBytes = 64;

/// Builds a term the way Xapian's QueryParser does: prefix + value, with a ':' between them
/// when the value starts with an upper-case letter and the prefix is not empty. A term longer
/// than kMaxTermBytes is cut to it at a UTF-8 character boundary: the same value always gives
/// the same term, at index and at query time.
std::string make_term(std::string_view prefix, std::string_view value);

/// Whether Xapian takes `word` into the spelling table.
bool fits_spelling_word(std::string_view word);

/// Whether Xapian takes `key` as a synonym key.
bool fits_synonym_key(std::string_view key);

/// Value slots. The numbers are part of the schema version.
enum Slot : unsigned {
  kSlotStartDate = 0,  ///< sortable_serialise(YYYYMMDD)
  kSlotPrimaryCompletion = 1,
  kSlotCompletionDate = 2,
  kSlotFirstPosted = 3,
  kSlotLastUpdate = 4,
  kSlotEnrollment = 5,    ///< sortable_serialise(count)
  kSlotMinAgeDays = 6,    ///< sortable_serialise(days), 0 when absent
  kSlotMaxAgeDays = 7,    ///< sortable_serialise(days), 1e6 when absent
  kSlotCoords = 8,        ///< Xapian::LatLongCoords of every site with coordinates
  kSlotContentHash = 9,   ///< hex digest of the record's content, for cheap upserts
  kSlotFacetStatus = 10,  ///< facet values: normalised filter values, '\x1f'-separated
  kSlotFacetPhase = 11,
  kSlotFacetCountry = 12,
  kSlotFacetType = 13,
  kSlotFacetSponsorClass = 14,
  kSlotNctId = 15,  ///< the NCT id as shown (NCT01234567): ids of hits without their termlists
  /// Sort keys (sort_key()): a slot's value, then the NCT id, so that trials of equal value keep
  /// one order whatever their document ids (a shard set's differ from one database's).
  kSlotSortStart = 16,
  kSlotSortUpdated = 17,
  kSlotSortEnrollment = 18,
};

/// The sort key of a sortable_serialise()d `value` (empty: none) and an NCT id, for a descending
/// sort: the value padded to a fixed width (a missing one lowest), then the id's bytes
/// complemented, so that equal values come in ascending NCT id order.
std::string sort_key(std::string_view value, std::string_view nct_id);

enum class RangeKind { Date, Number };

/// Ranges a query can restrict a value slot to (`start:2023..2025`; either end may be left out).
struct RangeSpec {
  std::string_view name;  ///< typed before the colon
  Slot slot;
  RangeKind kind;
  std::string_view help;
};

// clang-format off
inline constexpr std::array kRanges{
  RangeSpec{"start",      kSlotStartDate,      RangeKind::Date,   "start date"},
  RangeSpec{"completion", kSlotCompletionDate, RangeKind::Date,   "completion date"},
  RangeSpec{"posted",     kSlotFirstPosted,    RangeKind::Date,   "first posted"},
  RangeSpec{"updated",    kSlotLastUpdate,     RangeKind::Date,   "last update posted"},
  RangeSpec{"enrollment", kSlotEnrollment,     RangeKind::Number, "enrollment (participants)"},
};
// clang-format on

/// Whether `name` is a field or range name a query may put before a colon.
bool is_query_field_name(std::string_view name);

/// Every name a query may put before a colon, in schema order, space-separated.
std::string query_field_names();

/// The query fields, filters and ranges, one line each, generated from kFields and kRanges:
/// the "Fields" part of `search --help` and of the README.
std::string query_fields_help();

/// Separator between several facet values in one slot.
inline constexpr char kFacetSeparator = '\x1f';

/// The facets `search --facets` counts: each a value slot that holds the normalised values of
/// one filter field (kFacetSeparator between several), in the order help texts list them.
struct FacetSpec {
  std::string_view name;  ///< what --facets takes, and the filter field the values are from
  Slot slot;
};

inline constexpr std::array kFacets{
    FacetSpec{"status", kSlotFacetStatus},
    FacetSpec{"phase", kSlotFacetPhase},
    FacetSpec{"country", kSlotFacetCountry},
    FacetSpec{"type", kSlotFacetType},
    FacetSpec{"sponsor-class", kSlotFacetSponsorClass},
};

/// The facet called `name`, if any.
const FacetSpec* find_facet(std::string_view name);

/// The facets' names joined by `separator`: "status,phase,country,type,sponsor-class".
std::string facet_names(std::string_view separator);

/// Normalises a filter value the same way at index and query time: folded (lower case, no
/// accents), every run of characters other than letters and digits turned into one '_'.
/// "Not yet recruiting" -> "not_yet_recruiting"; "United States" -> "united_states".
std::string filter_value(std::string_view text);

}  // namespace trialsearch
