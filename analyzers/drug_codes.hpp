/// @brief Recognises drug and product codes (CC-97540, cc 97540, LY3009104) and gives each one
/// canonical form.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace trialsearch {

/// Where the text comes from: record text is matched strictly, query text more generously
/// (the caller checks the index before trusting a spaced query code).
enum class CodeContext { Record, Query };

/// One code found in a text.
struct CodeMatch {
  std::size_t begin = 0;  ///< byte offset of the code's first byte in the text
  std::size_t end = 0;    ///< byte offset one past its last byte
  std::string canonical;  ///< lower-case letters, digits and tail, no separators: "cc97540"
  bool spaced = false;    ///< letters and digits were separated by a space ("cc 97540")

  friend bool operator==(const CodeMatch&, const CodeMatch&) = default;
};

/// Finds the drug/product codes in UTF-8 text, in order, without overlaps.
///
/// A code is, at word boundaries: 1-6 ASCII letters; an optional separator (an ASCII hyphen,
/// any Unicode dash such as U+2010, U+2011, U+2012, U+2013, U+2014, U+2212, or one space);
/// 2-8 digits; and an optional short tail, either joined ("LY3009104", "CC-97540A",
/// "ABC-123AT04": 1-3 letters then at most 3 digits) or after a dash ("NNC0114-0006": 1-6
/// letters/digits including a digit). The canonical form drops separators and lower-cases:
/// `CC-97540`, `CC97540`, `cc 97540`, `CC‑97540` -> "cc97540"; `NNC0114-0006` -> "nnc01140006".
///
/// Not codes: letters preceded by a letter/digit and a dash ("anti-CD19", "SARS-CoV-2"),
/// letter-letter compounds ("anti-dsDNA", "T-cell"), numbers, dates, ratios, doses ("10mg"),
/// trial registry ids (NCT05869955, ISRCTN12345678), and separated forms whose letters are a common
/// word
/// ("Week 12", "Day-28", "visit 104"; see is_common_code_word()).
///
/// A space-separated form additionally needs 2+ letters, 3+ digits and digits that do not
/// look like a year (1900-2099); in Record context its letters must also be all upper case
/// ("CC 97540" yes, "Cc 97540" no). In Query context any case is accepted and the match is
/// flagged `spaced`.
std::vector<CodeMatch> find_codes(std::string_view text, CodeContext context);

/// The canonical code when the whole string (ASCII white space around it aside) is exactly
/// one code under the Query rules, else nullopt: "BMS-986353" -> "bms986353",
/// " cc 97540 " -> "cc97540", "anti-CD19 CAR T" -> nullopt.
std::optional<std::string> canonical_code(std::string_view whole);

/// True when a letter part is an ordinary word that is never a code prefix when separated
/// from its number ("week", "day", "visit", "phase", "cohort"...), case-insensitive.
bool is_common_code_word(std::string_view letters);

}  // namespace trialsearch
