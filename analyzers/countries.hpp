/// @brief Countries by ISO 3166-1 name, alpha-2 and alpha-3 code, and the other names people and
/// the registry use ("USA", "UK", "South Korea"), compiled in: what `--country` and `country:`
/// accept, and the label a facet shows for an indexed country.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace trialsearch {

struct Country {
  std::string_view alpha2;       ///< "DE"
  std::string_view alpha3;       ///< "DEU"
  std::string_view name;         ///< as ClinicalTrials.gov writes it: "Korea, Republic of"
  std::string_view other_names;  ///< ';'-separated: "South Korea;Korea"
};

/// Every country of the table.
std::span<const Country> countries();

/// The country a user or a record names: its name, alpha-3 or alpha-2 code, or another name,
/// compared as filter values (case, accents and punctuation ignored); nullptr when unknown.
const Country* find_country(std::string_view text);

/// The names a record may give a country: its name, then its other names.
std::vector<std::string> country_spellings(const Country& country);

}  // namespace trialsearch
