/// @brief Unicode folding applied identically to record text and to queries: NFKC, case fold,
/// accents removed, dashes unified.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace trialsearch {

/// Folds UTF-8 text for matching: NFKC, full case folding, combining marks removed
/// ("São Paulo" -> "sao paulo", "Würzburg" -> "wurzburg"), every dash (hyphen, non-breaking
/// hyphen, en/em dash, minus sign) -> '-', every space separator -> ' ', control characters
/// -> ' '. Invalid UTF-8 is replaced, never passed through. ASCII input takes a fast path.
std::string fold(std::string_view utf8);

/// Like fold(), but keeps the case of ASCII letters (for query strings, where the upper-case
/// operators AND, OR, NOT must survive).
std::string fold_keep_case(std::string_view utf8);

/// The words of folded text: runs of ASCII letters and digits and of non-ASCII bytes (any
/// other character separates them).
std::vector<std::string> split_words(std::string_view folded);

/// The fields of `text` between separators, empty ones included ("a\t\tb" -> "a", "", "b"); views
/// into `text`, which must outlive them.
std::vector<std::string_view> split_fields(std::string_view text, char separator);

}  // namespace trialsearch
