/// @brief Importers of drug-name lexicons (DrugBank, Drugs@FDA, a user's aliases.tsv) and our own
/// compiled-in curated lexicon.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace trialsearch {

/// Names of one drug or concept that mean the same thing, and who says so.
struct LexiconEntry {
  std::vector<std::string> names;  ///< as written in the source; distinct by alias_key()
  std::string provenance;          ///< "DrugBank DB00002", "Drugs@FDA appl 125370", ...
  std::string kind = "drug";       ///< "drug" or "condition"
};

/// The entries of one file, the number of lines skipped as malformed, and the format read:
/// "drugbank-csv", "drugsatfda-tsv" or "alias-tsv".
struct LexiconLoad {
  std::vector<LexiconEntry> entries;
  std::size_t skipped_lines = 0;
  std::string format;
};

// Every loader throws std::runtime_error, naming the file and line, when the file cannot be
// read or its header is not the expected one; malformed lines after it are skipped and counted.

/// DrugBank's open vocabulary CSV (header "DrugBank ID,Accession Numbers,Common name,CAS,UNII,
/// Synonyms,Standard InChI Key"; RFC 4180 quoting). One entry per drug: the common name then
/// its synonyms (split on " | "); provenance "DrugBank <id>". Entries keep single names too.
LexiconLoad load_drugbank_csv(const std::filesystem::path& path);

/// A Drugs@FDA products table (tab-separated, header "ApplNo ProductNo Form Strength
/// ReferenceDrug DrugName ActiveIngredient ReferenceStandard"). One entry {brand, ingredient}
/// per distinct pair where the ingredient is a single one (no ';') and its key differs from
/// the brand's; provenance "Drugs@FDA appl <ApplNo>" of the pair's first product.
LexiconLoad load_drugsatfda_tsv(const std::filesystem::path& path);

/// A user's aliases file: UTF-8, one drug per line, its names separated by tabs; blank lines
/// and lines starting with '#' are ignored. Optional columns after the names: "kind=drug" or
/// "kind=condition" (default drug) and "source=<text>", the provenance (default
/// "<file name> line <N>"). Lines with fewer than two distinct names, an unknown kind or a
/// column like "other=..." are skipped.
LexiconLoad load_alias_tsv(const std::filesystem::path& path);

/// Reads any of the three, told apart by the first line: "DrugBank ID," is DrugBank,
/// "ApplNo<TAB>" is Drugs@FDA; anything else is an aliases file, except a ".csv" file, whose
/// header is then reported as not recognised.
LexiconLoad load_lexicon(const std::filesystem::path& path);

/// Parses aliases-file text as load_alias_tsv() does; `origin` is the file name used in
/// default provenances.
LexiconLoad parse_alias_tsv(std::string_view text, std::string_view origin);

/// Our curated lexicon (analyzers/lexicon/curated.tsv, compiled in): lupus-area drugs with
/// their brand and code names, and condition abbreviations, each citing its source; provenance
/// "lexicon:curated (<source>)". Parsed once; throws std::logic_error if a line is malformed.
const std::vector<LexiconEntry>& curated_lexicon();

}  // namespace trialsearch
