#include "cli/labels.hpp"

#include <cctype>

#include "analyzers/countries.hpp"
#include "analyzers/fields.hpp"

namespace trialsearch::cli {
namespace {

// "NOT_YET_RECRUITING" / "not_yet_recruiting" -> "Not yet recruiting".
std::string sentence_case(std::string_view code) {
  std::string out;
  for (char c : code) {
    if (c == '_') {
      out += ' ';
    } else {
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  if (!out.empty()) out[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
  return out;
}

// "former_yugoslavia" -> "Former Yugoslavia": a country the ISO table does not have.
std::string title_case(std::string_view code) {
  std::string out;
  bool start = true;
  for (char c : code) {
    if (c == '_') {
      out += ' ';
      start = true;
    } else {
      auto u = static_cast<unsigned char>(c);
      out += static_cast<char>(start ? std::toupper(u) : u);
      start = false;
    }
  }
  return out;
}

std::string phase_label(std::string_view phase) {
  const std::string v = filter_value(phase);
  if (v == "na") return "Not applicable";
  if (v.starts_with("early_phase")) return "Early phase " + v.substr(11);
  if (v.starts_with("phase")) return "Phase " + v.substr(5);
  return std::string(phase);
}

}  // namespace

std::string status_label(std::string_view status) {
  const std::string v = filter_value(status);
  if (v == "active_not_recruiting") return "Active, not recruiting";
  if (v == "unknown") return "Unknown status";
  return sentence_case(v);
}

std::string phases_label(const std::vector<std::string>& phases) {
  if (phases.empty()) return "-";
  std::string out;
  for (const auto& p : phases) {
    std::string label = phase_label(p);
    if (out.empty()) {
      out = label;
    } else if (out.starts_with("Phase ") && label.starts_with("Phase ")) {
      out += "/" + label.substr(6);  // Phase 1/2
    } else {
      out += ", " + label;
    }
  }
  return out;
}

std::string study_type_label(std::string_view type) { return sentence_case(filter_value(type)); }

std::string facet_label(std::string_view facet, std::string_view value) {
  if (facet == "status") return status_label(value);
  if (facet == "phase") return phase_label(value);
  if (facet == "type") return study_type_label(value);
  if (facet == "country") {
    if (const Country* c = find_country(value)) return std::string(c->name);
    return title_case(value);
  }
  if (facet == "sponsor-class") {
    if (value == "nih") return "NIH";
    if (value == "fed") return "U.S. federal agency";
    if (value == "other_gov") return "Other government";
    if (value == "indiv") return "Individual";
    if (value == "ambig") return "Ambiguous";
  }
  return sentence_case(value);
}

}  // namespace trialsearch::cli
