/// @brief The per-format parsers: each reads one in-memory input and hands its trials to a sink.
#pragma once

#include <string_view>

#include "indexer/trial_sink.hpp"

namespace trialsearch {

/// ClinicalTrials.gov API v2 JSON: a single study object, a JSON array of studies, an API page
/// {"studies": [...]}, or NDJSON (one study a line; origin.line is set per line). Recognises the
/// retired classic v1 format (PascalCase FullStudiesResponse / FullStudy) and refuses it with one
/// skipped() call. Every other malformed record: skipped() naming the study or the line.
/// `origin` is copied into each Trial with format "ctgov-json-v2".
void read_json(std::string_view content, const Origin& origin, TrialSink& sink);

/// Legacy ClinicalTrials.gov XML: one <clinical_study> document. Other XML (RSS, search
/// results, HTML) is refused with one skipped() call saying what it is.
void read_xml(std::string_view content, const Origin& origin, TrialSink& sink);

/// A trial page saved as text (several sites' layouts), read by recognising section headings
/// and labels. A text without an NCT id is refused with one skipped() call.
void read_page_text(std::string_view content, const Origin& origin, TrialSink& sink);

}  // namespace trialsearch
