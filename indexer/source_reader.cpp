#include "indexer/source_reader.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <system_error>
#include <vector>

#include <fmt/format.h>

#include "analyzers/strings.hpp"
#include "indexer/archive_library.hpp"
#include "indexer/format_readers.hpp"
#include "indexer/normalize.hpp"

namespace trialsearch {
namespace fs = std::filesystem;

namespace {

constexpr std::size_t kHeadBytes = 64 * 1024;
// Format detection reads the first lines whole (an NDJSON record can be far longer than
// kHeadBytes), up to this much.
constexpr std::size_t kMaxHeadBytes = 256 * 1024 * 1024;
// The lines detection looks at: NDJSON is told from one JSON document by its first lines.
constexpr int kDetectionLines = 3;
constexpr la_int64_t kMaxEntryBytes = 1LL << 30;  // refuse absurd archive entries (zip bombs)

std::string_view skip_bom_and_space(std::string_view s) {
  if (s.starts_with("\xef\xbb\xbf")) s.remove_prefix(3);
  return trim(s);
}

// A line holding one whole JSON object: `{...}` (what NDJSON lines are).
bool is_object_line(std::string_view line) {
  line = skip_bom_and_space(line);
  return line.size() > 2 && line.front() == '{' && line.back() == '}';
}

// NDJSON, judged from the first non-blank lines of `s` (a whole line at least): the first is a
// whole object and more follows, or two of the first three are whole objects (the other one a
// damaged record, which is then skipped with its line number). One pretty-printed study or
// array never has two whole one-line objects among its first three lines.
bool looks_like_ndjson(std::string_view s) {
  std::vector<std::string_view> lines;
  while (!s.empty() && lines.size() < kDetectionLines) {
    auto nl = s.find('\n');
    std::string_view line = s.substr(0, nl);
    s = nl == std::string_view::npos ? std::string_view{} : s.substr(nl + 1);
    if (!trim(line).empty()) lines.push_back(line);
  }
  if (lines.size() < 2) return false;
  if (is_object_line(lines[0])) return true;
  return std::count_if(lines.begin(), lines.end(), is_object_line) >= 2;
}

// Where the kDetectionLines-th non-blank line of `content` ends (past its newline), or npos
// when `content` holds fewer whole lines.
std::size_t detection_lines_end(std::string_view content) {
  std::size_t end = 0;
  for (int lines = 0; lines < kDetectionLines;) {
    auto nl = content.find('\n', end);
    if (nl == std::string_view::npos) return std::string_view::npos;
    if (!trim(content.substr(end, nl - end)).empty()) ++lines;
    end = nl + 1;
  }
  return end;
}

// The start of `content` that detection needs: kHeadBytes, or more to hold the first
// kDetectionLines lines whole (at most kMaxHeadBytes).
std::size_t head_size(std::string_view content) {
  std::size_t lines_end = detection_lines_end(content);
  if (lines_end == std::string_view::npos) lines_end = content.size();
  return std::min({std::max(lines_end, kHeadBytes), content.size(), kMaxHeadBytes});
}

// Forwards to another sink, noting whether anything was skipped.
class SkipWatch : public TrialSink {
 public:
  explicit SkipWatch(TrialSink& inner) : inner_(inner) {}
  void trial(Trial&& t) override { inner_.trial(std::move(t)); }
  void skipped(const Origin& /*where*/, std::string_view reason) override {
    last_reason = reason;
    was_skipped = true;
  }
  bool was_skipped = false;
  std::string last_reason;

 private:
  TrialSink& inner_;
};

// The lines of `head` (what detection read) followed by the rest of `in`: the stream is never
// rewound, so a pipe or a FIFO is read as a file is.
class LineReader {
 public:
  LineReader(std::string head, std::istream& in) : head_(std::move(head)), in_(in) {}
  /// The next line (without its newline); `ended` says whether a newline ended it.
  bool next(std::string& line, bool& ended) {
    if (pos_ < head_.size()) {
      auto nl = head_.find('\n', pos_);
      if (nl != std::string::npos) {
        line.assign(head_, pos_, nl - pos_);
        pos_ = nl + 1;
        ended = true;
        return true;
      }
      line.assign(head_, pos_, std::string::npos);
      pos_ = head_.size();
      std::string more;
      ended = static_cast<bool>(std::getline(in_, more)) && !in_.eof();
      line += more;
      return true;
    }
    if (!std::getline(in_, line)) return false;
    ended = !in_.eof();
    return true;
  }

 private:
  std::string head_;
  std::size_t pos_ = 0;
  std::istream& in_;
};

void read_lines(std::string head, std::istream& in, Origin origin, TrialSink& sink,
                ReadCounts& counts) {
  LineReader lines(std::move(head), in);
  std::string line;
  bool ended = false;
  std::size_t n = 0;
  while (lines.next(line, ended)) {
    ++n;
    counts.bytes += line.size() + 1;
    if (counts.consumed) *counts.consumed += line.size() + 1;
    if (trim(line).empty()) continue;
    origin.line = n;
    if (ended) {
      read_json(line, origin, sink);
      continue;
    }
    // The last line has no newline: if it does not parse, the input was cut short (an
    // interrupted download), and trials after it may be missing.
    SkipWatch watch(sink);
    read_json(line, origin, watch);
    if (!watch.was_skipped) continue;
    if (!watch.last_reason.starts_with("malformed JSON")) {
      sink.skipped(origin, watch.last_reason);
      continue;
    }
    ++counts.input_errors;
    sink.skipped(origin, fmt::format("last line cut short (no newline at the end, {}): the "
                                     "input is incomplete",
                                     watch.last_reason));
  }
  if (in.bad()) {
    ++counts.input_errors;
    origin.line = n + 1;
    sink.skipped(origin, "read error: the input could not be read whole");
  }
}

void read_lines(std::string_view content, Origin origin, TrialSink& sink) {
  std::size_t n = 0;
  while (!content.empty()) {
    auto nl = content.find('\n');
    std::string_view line = content.substr(0, nl);
    content = nl == std::string_view::npos ? std::string_view{} : content.substr(nl + 1);
    ++n;
    if (trim(line).empty()) continue;
    origin.line = n;
    read_json(line, origin, sink);
  }
}

struct ArchiveDeleter {
  decltype(&::archive_read_free) read_free;
  void operator()(archive* a) const { read_free(a); }
};
using ArchivePtr = std::unique_ptr<archive, ArchiveDeleter>;

ArchivePtr new_zip_reader(const ArchiveLibrary& la) {
  ArchivePtr a(la.read_new(), ArchiveDeleter{la.read_free});
  la.read_support_format_zip(a.get());
  return a;
}

// libarchive, or nullptr after telling `sink` why `origin` cannot be read without it.
const ArchiveLibrary* zip_library(const Origin& origin, TrialSink& sink) {
  std::string error;
  const ArchiveLibrary* la = archive_library(&error);
  if (!la) sink.skipped(origin, error);
  return la;
}

std::string error_of(const ArchiveLibrary& la, archive* a, const char* otherwise) {
  const char* e = la.error_string(a);
  return e ? e : otherwise;
}

// Reads every entry of an opened archive. `file` names the archive in messages.
void read_archive(const ArchiveLibrary& la, archive* a, const std::string& file, TrialSink& sink,
                  ReadCounts& counts) {
  archive_entry* entry = nullptr;
  const std::uint64_t consumed_before = counts.consumed ? counts.consumed->load() : 0;
  for (;;) {
    if (counts.consumed)
      *counts.consumed = consumed_before + static_cast<std::uint64_t>(la.filter_bytes(a, -1));
    int r = la.read_next_header(a, &entry);
    if (r == ARCHIVE_EOF) return;
    Origin origin;
    origin.file = file;
    if (r < ARCHIVE_WARN) {
      ++counts.input_errors;
      sink.skipped(origin,
                   fmt::format("corrupt zip archive: {}", error_of(la, a, "unreadable header")));
      return;
    }
    const char* name = la.entry_pathname(entry);
    origin.entry = name ? name : "?";
    if (la.entry_filetype(entry) != AE_IFREG) continue;
    ++counts.inputs;
    la_int64_t size = la.entry_size_is_set(entry) ? la.entry_size(entry) : -1;
    if (size > kMaxEntryBytes) {
      sink.skipped(origin, fmt::format("archive entry too large ({} bytes)", size));
      continue;
    }
    std::string content;
    if (size > 0) content.reserve(static_cast<std::size_t>(size));
    char buffer[64 * 1024];
    bool failed = false;
    for (;;) {
      la_ssize_t n = la.read_data(a, buffer, sizeof buffer);
      if (n == 0) break;
      if (n < 0) {
        sink.skipped(origin,
                     fmt::format("corrupt archive entry: {}", error_of(la, a, "read error")));
        failed = true;
        break;
      }
      content.append(buffer, static_cast<std::size_t>(n));
      if (static_cast<la_int64_t>(content.size()) > kMaxEntryBytes) {
        sink.skipped(origin, "archive entry too large");
        failed = true;
        break;
      }
    }
    if (failed) {
      ++counts.input_errors;
      if (la.errno_of(a) == ARCHIVE_FATAL) return;
      continue;
    }
    counts.bytes += content.size();
    read_buffer(content, origin, sink);
  }
}

void read_zip_file(const std::string& path, TrialSink& sink, ReadCounts& counts) {
  Origin origin;
  origin.file = path;
  const ArchiveLibrary* la = zip_library(origin, sink);
  if (!la) {
    ++counts.input_errors;
    return;
  }
  ArchivePtr a = new_zip_reader(*la);
  if (la->read_open_filename(a.get(), path.c_str(), 1 << 20) != ARCHIVE_OK) {
    ++counts.input_errors;
    sink.skipped(origin, fmt::format("cannot open zip archive: {}",
                                     error_of(*la, a.get(), "unknown error")));
    return;
  }
  read_archive(*la, a.get(), path, sink, counts);
}

void read_file(const std::string& path, TrialSink& sink, ReadCounts& counts) {
  Origin origin;
  origin.file = path;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    ++counts.input_errors;
    sink.skipped(origin, "cannot open file");
    return;
  }
  // The first kHeadBytes, and more until the first lines are whole (see head_size).
  std::string head;
  for (;;) {
    std::size_t had = head.size();
    std::size_t want = head.empty() ? kHeadBytes : std::min(head.size(), kMaxHeadBytes - had);
    head.resize(had + want);
    in.read(head.data() + had, static_cast<std::streamsize>(want));
    head.resize(had + static_cast<std::size_t>(in.gcount()));
    if (!in || head.size() >= kMaxHeadBytes || detection_lines_end(head) != std::string::npos)
      break;
  }
  InputFormat format = detect_format(head);
  if (format == InputFormat::Zip) {
    ++counts.inputs;
    in.close();
    read_zip_file(path, sink, counts);
    return;
  }
  ++counts.inputs;
  if (format == InputFormat::Ndjson) {
    // Stream by line: an NDJSON export can be far larger than memory.
    read_lines(std::move(head), in, origin, sink, counts);
    return;
  }
  std::string content = std::move(head);
  if (in) {
    std::error_code ec;
    auto size = fs::file_size(path, ec);
    if (!ec) content.reserve(static_cast<std::size_t>(size));
    char buffer[1 << 16];
    while (in.read(buffer, sizeof buffer) || in.gcount() > 0)
      content.append(buffer, static_cast<std::size_t>(in.gcount()));
  }
  if (in.bad()) {
    ++counts.input_errors;
    sink.skipped(origin, "read error");
    return;
  }
  counts.bytes += content.size();
  if (counts.consumed) *counts.consumed += content.size();
  read_buffer(content, origin, sink);
}

void read_stdin(TrialSink& sink, ReadCounts& counts) {
  Origin origin;
  origin.file = "<stdin>";
  ++counts.inputs;
  read_lines({}, std::cin, origin, sink, counts);
}

// Inside folders, hidden files and Markdown notes (a corpus README) are not records. A file
// named on the command line is always read.
bool is_documentation(const fs::path& path) {
  std::string name = path.filename().string();
  return name.starts_with(".") || path.extension() == ".md";
}

// What a folder holds: its record files, recursively, in sorted order (documentation left
// out), and what could not be listed or is not followed.
struct FolderListing {
  std::vector<std::string> files;
  struct Skip {
    std::string path, reason;
    bool input_error;  ///< records may be missing (an unreadable folder), not a choice of ours
  };
  std::vector<Skip> skips;
};

// Whether `path` is `root` or inside it (both canonical).
bool is_within(const fs::path& path, const fs::path& root) {
  auto [r, p] = std::mismatch(root.begin(), root.end(), path.begin(), path.end());
  return r == root.end();
}

void list_folder(const fs::path& dir, const fs::path& root, FolderListing& out) {
  std::error_code ec;
  fs::directory_iterator it(dir, ec), end;
  if (ec) {
    out.skips.push_back({dir.string(), fmt::format("cannot read folder: {}", ec.message()), true});
    return;
  }
  for (; it != end; it.increment(ec)) {
    const fs::path& path = it->path();
    auto status = it->symlink_status(ec);
    if (ec) {
      out.skips.push_back({path.string(), fmt::format("cannot read: {}", ec.message()), true});
      ec.clear();
      continue;
    }
    if (fs::is_symlink(status)) {
      // Followed only to a file inside the folder: a link never makes us read, or index,
      // what the folder's owner did not put in it. Linked folders are not entered (their files,
      // if inside, are read under their own path).
      fs::path target = fs::canonical(path, ec);
      if (ec) {
        out.skips.push_back({path.string(), "broken symbolic link", false});
        ec.clear();
      } else if (!is_within(target, root)) {
        out.skips.push_back(
            {path.string(),
             fmt::format("symbolic link to {}, outside the folder: not followed", target.string()),
             false});
      } else if (fs::is_regular_file(target, ec) && !is_documentation(path)) {
        out.files.push_back(path.string());
      }
      continue;
    }
    if (fs::is_directory(status)) {
      list_folder(path, root, out);
    } else if (fs::is_regular_file(status) && !is_documentation(path)) {
      out.files.push_back(path.string());
    }
  }
  if (ec)
    out.skips.push_back({dir.string(), fmt::format("cannot read folder: {}", ec.message()), true});
}

FolderListing folder_files(const std::string& folder) {
  FolderListing out;
  std::error_code ec;
  fs::path root = fs::canonical(folder, ec);
  if (ec) {
    out.skips.push_back({folder, fmt::format("cannot read folder: {}", ec.message()), true});
    return out;
  }
  list_folder(folder, root, out);
  std::sort(out.files.begin(), out.files.end());
  return out;
}

}  // namespace

InputFormat detect_format(std::string_view head) {
  if (head.starts_with("PK\x03\x04") || head.starts_with("PK\x05\x06")) return InputFormat::Zip;
  std::string_view s = skip_bom_and_space(head);
  if (s.empty()) return InputFormat::Unknown;
  if (looks_like_ndjson(s)) return InputFormat::Ndjson;
  if (s.front() == '{') return InputFormat::JsonV2;
  if (s.front() == '[') return InputFormat::JsonV2;
  if (s.front() == '<') return InputFormat::Xml;
  if (head.find('\0') != std::string_view::npos) return InputFormat::Unknown;
  return InputFormat::PageText;
}

void read_buffer(std::string_view content, const Origin& origin, TrialSink& sink) {
  switch (detect_format(content.substr(0, head_size(content)))) {
    case InputFormat::JsonV2:
      read_json(content, origin, sink);
      return;
    case InputFormat::Ndjson:
      read_lines(content, origin, sink);
      return;
    case InputFormat::Xml:
      read_xml(content, origin, sink);
      return;
    case InputFormat::PageText:
      read_page_text(content, origin, sink);
      return;
    case InputFormat::Zip: {
      const ArchiveLibrary* la = zip_library(origin, sink);
      if (!la) return;
      ArchivePtr a = new_zip_reader(*la);
      if (la->read_open_memory(a.get(), content.data(), content.size()) != ARCHIVE_OK) {
        sink.skipped(origin, "cannot open nested zip archive");
        return;
      }
      ReadCounts ignored;
      read_archive(*la, a.get(), describe(origin), sink, ignored);
      return;
    }
    case InputFormat::Unknown:
      sink.skipped(origin, content.empty() ? "empty input"
                                           : "not a trial record (binary or unknown format)");
      return;
  }
}

std::uint64_t source_bytes(const std::vector<std::string>& sources) {
  std::uint64_t total = 0;
  for (const auto& source : sources) {
    if (source == "-") return 0;
    std::error_code ec;
    if (fs::is_directory(source, ec)) {
      for (const auto& f : folder_files(source).files) {
        auto size = fs::file_size(f, ec);
        if (!ec) total += size;
      }
    } else {
      auto size = fs::file_size(source, ec);
      if (!ec) total += size;
    }
  }
  return total;
}

ReadCounts read_sources(const std::vector<std::string>& sources, TrialSink& sink,
                        std::atomic<std::uint64_t>* consumed) {
  ReadCounts counts;
  counts.consumed = consumed;
  for (const auto& source : sources) {
    if (source == "-") {
      read_stdin(sink, counts);
      continue;
    }
    std::error_code ec;
    auto status = fs::status(source, ec);
    if (ec || !fs::exists(status)) {
      Origin origin;
      origin.file = source;
      ++counts.input_errors;
      sink.skipped(origin, "no such file or directory");
      continue;
    }
    if (fs::is_directory(status)) {
      FolderListing listing = folder_files(source);
      for (const auto& skip : listing.skips) {
        Origin origin;
        origin.file = skip.path;
        if (skip.input_error) ++counts.input_errors;
        sink.skipped(origin, skip.reason);
      }
      for (const auto& f : listing.files) read_file(f, sink, counts);
      continue;
    }
    read_file(source, sink, counts);
  }
  return counts;
}

}  // namespace trialsearch
