#include "analyzers/cached_stemmer.hpp"

#include "analyzers/fields.hpp"

namespace trialsearch {

CachedStemmer::CachedStemmer(std::string_view language, std::size_t max_words)
    : stem_(std::string(language)), max_words_(max_words) {
  cache_.reserve(max_words_ / 4);
}

std::string CachedStemmer::operator()(const std::string& word) {
  if (auto it = cache_.find(word); it != cache_.end()) return it->second;
  if (cache_.size() >= max_words_) cache_.clear();
  std::string stem = stem_(word);
  cache_.emplace(word, stem);
  return stem;
}

std::string CachedStemmer::get_description() const { return stem_.get_description() + " (cached)"; }

Xapian::Stem cached_stemmer(std::string_view language) {
  return Xapian::Stem(new CachedStemmer(language));
}

std::string stem_of(std::string_view word) {
  static thread_local Xapian::Stem stem{std::string(kStemLanguage)};
  return stem(std::string(word));
}

}  // namespace trialsearch
