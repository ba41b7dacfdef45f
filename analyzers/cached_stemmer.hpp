/// @brief A Xapian stemmer that remembers the stems it has computed: the same words recur in
/// every trial, and Snowball was an eighth of indexing time.
#pragma once

#include <xapian.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>

namespace trialsearch {

/// Wraps Xapian::Stem(language) with a word -> stem cache. Gives exactly the stems of the
/// wrapped stemmer, so terms do not change. Not thread-safe: one per TermGenerator (per
/// thread). The cache is emptied when it holds `max_words`, which bounds its memory.
class CachedStemmer : public Xapian::StemImplementation {
 public:
  explicit CachedStemmer(std::string_view language, std::size_t max_words = 200'000);
  std::string operator()(const std::string& word) override;
  std::string get_description() const override;

 private:
  Xapian::Stem stem_;
  std::size_t max_words_;
  std::unordered_map<std::string, std::string> cache_;
};

/// A Xapian::Stem backed by a new CachedStemmer (Xapian owns it through reference counting).
Xapian::Stem cached_stemmer(std::string_view language);

/// The stem of one word in kStemLanguage: the form the index holds it in (word terms are stems
/// only), for code that builds or reads terms outside TermGenerator and QueryParser.
std::string stem_of(std::string_view word);

}  // namespace trialsearch
