#include "analyzers/lexicon.hpp"

#include <unicode/utf8.h>

#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>
#include <unordered_set>
#include <utility>

#include "analyzers/alias_graph.hpp"

namespace trialsearch {

namespace detail {
/// The text of analyzers/lexicon/curated.tsv, generated into the build tree by CMake.
extern const std::string_view kCuratedLexiconTsv;
}  // namespace detail

namespace {

constexpr std::string_view kDrugBankHeader =
    "DrugBank ID,Accession Numbers,Common name,CAS,UNII,Synonyms,Standard InChI Key";
constexpr std::string_view kDrugsAtFdaColumns[] = {
    "ApplNo",           "ProductNo",        "Form", "Strength", "ReferenceDrug", "DrugName",
    "ActiveIngredient", "ReferenceStandard"};
constexpr std::string_view kBom = "\xef\xbb\xbf";

[[noreturn]] void fail(const std::filesystem::path& path, std::size_t line, std::string_view what) {
  std::string message = path.string();
  if (line > 0) message += ":" + std::to_string(line);
  throw std::runtime_error(message + ": " + std::string(what));
}

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(path, 0, "cannot open lexicon file");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) fail(path, 0, "cannot read lexicon file");
  std::string text = buffer.str();
  if (std::string_view(text).starts_with(kBom)) text.erase(0, kBom.size());
  return text;
}

std::string_view trim(std::string_view s) {
  auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && blank(s.back())) s.remove_suffix(1);
  return s;
}

std::string_view chomp(std::string_view line) {
  if (line.ends_with('\r')) line.remove_suffix(1);
  return line;
}

bool valid_utf8(std::string_view s) {
  const auto* bytes = reinterpret_cast<const uint8_t*>(s.data());
  auto length = static_cast<int32_t>(s.size());
  for (int32_t i = 0; i < length;) {
    UChar32 c = 0;
    U8_NEXT(bytes, i, length, c);
    if (c < 0) return false;
  }
  return true;
}

std::vector<std::string_view> split(std::string_view text, std::string_view separator) {
  std::vector<std::string_view> parts;
  std::size_t from = 0;
  for (std::size_t at = text.find(separator); at != std::string_view::npos;
       at = text.find(separator, from)) {
    parts.push_back(text.substr(from, at - from));
    from = at + separator.size();
  }
  parts.push_back(text.substr(from));
  return parts;
}

/// Walks text line by line, keeping 1-based line numbers.
class LineReader {
 public:
  explicit LineReader(std::string_view text) : text_(text) {}
  bool next(std::string_view& line) {
    if (pos_ >= text_.size()) return false;
    std::size_t end = text_.find('\n', pos_);
    if (end == std::string_view::npos) end = text_.size();
    line = chomp(text_.substr(pos_, end - pos_));
    pos_ = end + 1;
    ++number_;
    return true;
  }
  std::size_t number() const { return number_; }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
  std::size_t number_ = 0;
};

/// Reads RFC 4180 records (quoted fields may hold commas, quotes as "" and line breaks).
class CsvReader {
 public:
  explicit CsvReader(std::string_view text) : text_(text) {}

  /// The next record; false at the end. `ok` is false for a malformed record (an unterminated
  /// quote or text after a closing quote), which is skipped up to the end of its line.
  bool next(std::vector<std::string>& fields, bool& ok) {
    if (pos_ >= text_.size()) return false;
    fields.assign(1, std::string());
    ok = true;
    first_line_ = line_ + 1;
    while (pos_ < text_.size()) {
      char c = text_[pos_++];
      if (c == '\n') break;
      if (c == '\r') continue;
      if (c == ',') {
        fields.emplace_back();
      } else if (c == '"' && fields.back().empty()) {
        if (!read_quoted(fields.back())) {
          ok = false;
          skip_line();
          break;
        }
      } else {
        fields.back().push_back(c);
      }
    }
    ++line_;
    return true;
  }

  std::size_t record_line() const { return first_line_; }

 private:
  bool read_quoted(std::string& field) {
    while (pos_ < text_.size()) {
      char c = text_[pos_++];
      if (c == '\n') ++line_;
      if (c != '"') {
        field.push_back(c);
        continue;
      }
      if (pos_ < text_.size() && text_[pos_] == '"') {
        field.push_back('"');
        ++pos_;
        continue;
      }
      return pos_ >= text_.size() || text_[pos_] == ',' || text_[pos_] == '\n' ||
             text_[pos_] == '\r';
    }
    return false;
  }

  void skip_line() {
    std::size_t end = text_.find('\n', pos_);
    pos_ = end == std::string_view::npos ? text_.size() : end + 1;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  std::size_t line_ = 0;
  std::size_t first_line_ = 0;
};

/// Adds a name unless it is empty or another name already has its key.
void add_name(LexiconEntry& entry, std::unordered_set<std::string>& keys, std::string_view name) {
  name = trim(name);
  if (name.empty()) return;
  std::string key = alias_key(name);
  if (key.empty() || !keys.insert(std::move(key)).second) return;
  entry.names.emplace_back(name);
}

LexiconLoad parse_drugbank(std::string_view text, const std::filesystem::path& path) {
  LexiconLoad load;
  load.format = "drugbank-csv";
  CsvReader reader(text);
  std::vector<std::string> fields;
  bool ok = false;
  if (!reader.next(fields, ok)) fail(path, 1, "empty file, expected a DrugBank vocabulary header");
  std::string header;
  for (const auto& f : fields) header += (header.empty() ? "" : ",") + f;
  if (!ok || header != kDrugBankHeader)
    fail(
        path, 1,
        "not a DrugBank open vocabulary header: expected \"" + std::string(kDrugBankHeader) + "\"");
  while (reader.next(fields, ok)) {
    if (ok && fields.size() == 1 && trim(fields[0]).empty()) continue;  // blank line
    if (!ok || fields.size() != 7 || !fields[0].starts_with("DB")) {
      ++load.skipped_lines;
      continue;
    }
    LexiconEntry entry;
    entry.provenance = "DrugBank " + std::string(trim(fields[0]));
    std::unordered_set<std::string> keys;
    add_name(entry, keys, fields[2]);
    for (std::string_view synonym : split(fields[5], " | ")) add_name(entry, keys, synonym);
    if (entry.names.empty()) {
      ++load.skipped_lines;
      continue;
    }
    load.entries.push_back(std::move(entry));
  }
  return load;
}

LexiconLoad parse_drugsatfda(std::string_view text, const std::filesystem::path& path) {
  LexiconLoad load;
  load.format = "drugsatfda-tsv";
  LineReader lines(text);
  std::string_view line;
  if (!lines.next(line)) fail(path, 1, "empty file, expected a Drugs@FDA products header");
  std::vector<std::string_view> header = split(line, "\t");
  bool header_ok = header.size() >= std::size(kDrugsAtFdaColumns);
  for (std::size_t i = 0; header_ok && i < std::size(kDrugsAtFdaColumns); ++i)
    header_ok = trim(header[i]) == kDrugsAtFdaColumns[i];
  if (!header_ok)
    fail(path, 1,
         "not a Drugs@FDA products header: expected ApplNo, ProductNo, Form, Strength, "
         "ReferenceDrug, DrugName, ActiveIngredient, ReferenceStandard");

  std::set<std::pair<std::string, std::string>> seen;
  while (lines.next(line)) {
    if (trim(line).empty()) continue;
    std::vector<std::string_view> fields = split(line, "\t");
    if (fields.size() < 7 || trim(fields[0]).empty() || trim(fields[5]).empty() ||
        trim(fields[6]).empty() || !valid_utf8(line)) {
      ++load.skipped_lines;
      continue;
    }
    std::string_view brand = trim(fields[5]);
    std::string_view ingredient = trim(fields[6]);
    if (ingredient.find(';') != std::string_view::npos) continue;
    std::string brand_key = alias_key(brand);
    std::string ingredient_key = alias_key(ingredient);
    if (brand_key.empty() || ingredient_key.empty() || brand_key == ingredient_key) continue;
    if (!seen.emplace(std::move(brand_key), std::move(ingredient_key)).second) continue;
    load.entries.push_back({{std::string(brand), std::string(ingredient)},
                            "Drugs@FDA appl " + std::string(trim(fields[0])),
                            "drug"});
  }
  return load;
}

}  // namespace

LexiconLoad parse_alias_tsv(std::string_view text, std::string_view origin) {
  LexiconLoad load;
  load.format = "alias-tsv";
  if (text.starts_with(kBom)) text.remove_prefix(kBom.size());
  LineReader lines(text);
  std::string_view line;
  while (lines.next(line)) {
    std::string_view content = trim(line);
    if (content.empty() || content.starts_with('#')) continue;
    LexiconEntry entry;
    std::unordered_set<std::string> keys;
    bool bad = !valid_utf8(line);
    for (std::string_view column : split(content, "\t")) {
      column = trim(column);
      if (column.starts_with("source=")) {
        entry.provenance = trim(column.substr(7));
      } else if (column.starts_with("kind=")) {
        entry.kind = trim(column.substr(5));
        bad = bad || (entry.kind != "drug" && entry.kind != "condition");
      } else if (std::size_t eq = column.find('=');
                 eq != std::string_view::npos && eq > 0 &&
                 column.find_first_not_of("abcdefghijklmnopqrstuvwxyz") == eq) {
        bad = true;  // an option we do not know: a typo that must not become a name
      } else {
        add_name(entry, keys, column);
      }
    }
    if (bad || entry.names.size() < 2) {
      ++load.skipped_lines;
      continue;
    }
    if (entry.provenance.empty())
      entry.provenance = std::string(origin) + " line " + std::to_string(lines.number());
    load.entries.push_back(std::move(entry));
  }
  return load;
}

LexiconLoad load_drugbank_csv(const std::filesystem::path& path) {
  return parse_drugbank(read_text(path), path);
}

LexiconLoad load_drugsatfda_tsv(const std::filesystem::path& path) {
  return parse_drugsatfda(read_text(path), path);
}

LexiconLoad load_alias_tsv(const std::filesystem::path& path) {
  return parse_alias_tsv(read_text(path), path.filename().string());
}

LexiconLoad load_lexicon(const std::filesystem::path& path) {
  std::string text = read_text(path);
  std::string_view first = chomp(std::string_view(text).substr(0, text.find('\n')));
  if (first.starts_with("DrugBank ID,")) return parse_drugbank(text, path);
  if (first.starts_with("ApplNo\t")) return parse_drugsatfda(text, path);
  if (path.extension() == ".csv")
    fail(path, 1,
         "lexicon header not recognised (expected DrugBank's open vocabulary, "
         "Drugs@FDA products or an aliases.tsv file)");
  return parse_alias_tsv(text, path.filename().string());
}

const std::vector<LexiconEntry>& curated_lexicon() {
  static const std::vector<LexiconEntry> entries = [] {
    constexpr std::string_view kOrigin = "curated.tsv";
    LexiconLoad load = parse_alias_tsv(detail::kCuratedLexiconTsv, kOrigin);
    if (load.skipped_lines > 0)
      throw std::logic_error("analyzers/lexicon/curated.tsv: " +
                             std::to_string(load.skipped_lines) + " malformed line(s)");
    for (auto& entry : load.entries) {
      if (entry.provenance.starts_with(std::string(kOrigin) + " line "))
        throw std::logic_error("analyzers/lexicon/curated.tsv: " + entry.provenance +
                               " has no source= column");
      entry.provenance = "lexicon:curated (" + entry.provenance + ")";
    }
    return std::move(load.entries);
  }();
  return entries;
}

}  // namespace trialsearch
