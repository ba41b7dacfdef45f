/// @brief The page-text reader's parts, shared by its passes: what a heading or label introduces
/// (page_text_headings), what its value must look like (page_text_values), the page cut into
/// blocks (page_text_split: pass 1) and the blocks read into a Trial (page_text_reader: pass 2).
/// Internal to indexer/: read_page_text (format_readers.hpp) is the interface.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace trialsearch::page_text {

// ---- page_text_headings: what a heading or label introduces ----

enum class Field {
  // Sections: blocks of lines.
  Preamble,          // before the first heading: title, breadcrumbs, logos
  Facts,             // "Basic Information": bare values recognised by shape
  EligibilityFacts,  // "Recruitment & Eligibility": shaped values, otherwise criteria text
  Ignored,           // contacts, investigators, design details, outcome tables...
  About,             // "About <organisation>": its name spells the sponsor
  BriefSummary,
  DetailedDescription,
  Conditions,
  Keywords,
  Interventions,
  OtherNames,
  ArmGroups,
  Eligibility,
  Sponsors,
  Collaborators,
  Locations,
  OtherIds,
  Related,
  // Labels: one value each, on the next line or after the label on the same line.
  NctId,
  Title,
  OfficialTitle,
  Status,
  Phase,
  StudyType,
  Enrollment,
  StartDate,
  PrimaryCompletionDate,
  CompletionDate,
  FirstPosted,
  LastUpdate,
  MinimumAge,
  MaximumAge,
  Sex,
  HealthyVolunteers,
  LeadSponsor,
  OrgStudyId,
  LaunchedBy,  // ClinConnect: "Launched by SPONSOR · Oct 14, 2022"
};

constexpr bool is_label(Field f) { return f >= Field::NctId; }

// How a label's value must look for the label to be believed.
enum class Shape { Text, NctId, Status, Phase, StudyType, Count, Date, Age, Sex, YesNo };

struct Heading {
  std::string_view text;  // lower case, without a trailing colon
  Field field;
};

/// Every heading and label we recognise, with the synonyms the sites use.
std::span<const Heading> headings();

/// The shape a label's value must have for the label to be believed (Text for a section).
Shape shape_of(Field f);

/// Sections whose lines are running text: a label found inside them must have a strictly
/// shaped value ("Status: Recruiting"), never free text ("Source ...").
bool is_narrative(Field f);

/// Sections where "Label value" lines on one line are looked for at all.
bool takes_inline_labels(Field f);

/// "About Renji Hospital" (case as written): a heading naming the sponsor.
constexpr std::string_view kAboutPrefix = "About ";

constexpr std::size_t kMaxValueLength = 300;  // a label's value or a shaped line, never longer

// ---- page_text_values: small text helpers and value shapes ----

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& table, std::string_view s) {
  return std::find(table.begin(), table.end(), s) != table.end();
}

/// The rest of `line` after `label` when the line starts with it (ASCII case ignored), as
/// written: "Group Type Experimental" after "group type" is " Experimental". Else nullopt.
std::optional<std::string_view> after_label(std::string_view line, std::string_view label);

/// A label's rest without the ':' and spaces that separate it from the value.
std::string_view without_separator(std::string_view rest);

bool is_alnum(char c);
/// Where `needle` occurs in `haystack` as whole words, case-insensitively (both lower case).
bool has_phrase(std::string_view haystack, std::string_view needle);
/// Every NCT id in a text, upper case, in order.
std::vector<std::string> find_nct_ids(std::string_view text);
/// Appends `value` unless empty or already listed (ASCII case ignored).
void add_unique(std::vector<std::string>& list, std::string value);
/// Saved pages keep Markdown escapes ("\- item", "\> 3 times"): drop the backslash.
std::string unescape_markdown(std::string_view s);

/// "1,234 participants (estimated)" -> 1234.
std::optional<long> parse_count(std::string_view s);
/// The API's overall status for a status value, else empty.
std::string status_of(std::string_view s);
/// The API's study type for a study-type value, else empty.
std::string study_type_of(std::string_view s);
/// Strict: the whole value is a phase ("PHASE1/PHASE2", "Phase 4", "N/A").
std::vector<std::string> phases_of(std::string_view s);
/// "16 Years", "6 Months".
bool is_age(std::string_view s);
/// ALL, FEMALE or MALE, else empty.
std::string sex_of(std::string_view s);
/// "Yes" / "Accepts Healthy Volunteers" -> true, "No" -> false.
std::optional<bool> yes_no_of(std::string_view s);
/// Whether `v` has the shape (and at most kMaxValueLength bytes).
bool fits(Shape shape, std::string_view v);

// ---- page_text_split: pass 1, lines into blocks and labelled values ----

struct Line {
  std::string text;     // without its bullet
  bool bullet = false;  // the page showed it as a list item
};

struct Block {
  Field kind = Field::Preamble;
  std::string heading;  // as written, for "About <name>"
  std::vector<Line> lines;
};

struct LabelledValue {
  Field field;
  std::string value;
};

struct Page {
  std::vector<Block> blocks;
  std::vector<LabelledValue> values;
};

/// The page cut into blocks at its headings, with labelled values taken aside.
Page split_page(std::string_view content);

}  // namespace trialsearch::page_text
