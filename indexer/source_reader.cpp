#include "indexer/source_reader.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <system_error>

#include <fmt/format.h>

#include "indexer/archive_library.hpp"
#include "indexer/format_readers.hpp"
#include "indexer/normalize.hpp"

namespace trialsearch {
namespace fs = std::filesystem;

namespace {

constexpr std::size_t kHeadBytes = 64 * 1024;
constexpr la_int64_t kMaxEntryBytes = 1LL << 30;  // refuse absurd archive entries (zip bombs)

std::string_view skip_bom_and_space(std::string_view s) {
  if (s.starts_with("\xef\xbb\xbf")) s.remove_prefix(3);
  return trim(s);
}

// The first line of `s` and whether it is a whole one-line JSON object.
bool first_line_is_object(std::string_view s, std::string_view* rest) {
  auto nl = s.find('\n');
  std::string_view line = trim(s.substr(0, nl));
  *rest = nl == std::string_view::npos ? std::string_view{} : s.substr(nl + 1);
  return line.size() > 2 && line.front() == '{' && line.back() == '}';
}

void read_lines(std::istream& in, Origin origin, TrialSink& sink, ReadCounts& counts) {
  std::string line;
  std::size_t n = 0;
  while (std::getline(in, line)) {
    ++n;
    counts.bytes += line.size() + 1;
    if (counts.consumed) *counts.consumed += line.size() + 1;
    if (trim(line).empty()) continue;
    origin.line = n;
    read_json(line, origin, sink);
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
  std::string head(kHeadBytes, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(in.gcount()));
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
    in.clear();
    in.seekg(0);
    read_lines(in, origin, sink, counts);
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
  read_lines(std::cin, origin, sink, counts);
}

// Inside folders, hidden files and Markdown notes (a corpus README) are not records. A file
// named on the command line is always read.
bool is_documentation(const fs::path& path) {
  std::string name = path.filename().string();
  return name.starts_with(".") || path.extension() == ".md";
}

// The record files of a folder, recursively, in sorted order (documentation left out). `ec` is
// set when the folder cannot be read whole.
std::vector<std::string> folder_files(const std::string& folder, std::error_code& ec) {
  std::vector<std::string> files;
  for (auto it = fs::recursive_directory_iterator(
           folder, fs::directory_options::skip_permission_denied, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file(ec) && !is_documentation(it->path()))
      files.push_back(it->path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

InputFormat detect_format(std::string_view head) {
  if (head.starts_with("PK\x03\x04") || head.starts_with("PK\x05\x06")) return InputFormat::Zip;
  std::string_view s = skip_bom_and_space(head);
  if (s.empty()) return InputFormat::Unknown;
  if (s.front() == '{') {
    std::string_view rest;
    if (first_line_is_object(s, &rest) && !trim(rest).empty() && trim(rest).front() == '{')
      return InputFormat::Ndjson;
    return InputFormat::JsonV2;
  }
  if (s.front() == '[') return InputFormat::JsonV2;
  if (s.front() == '<') return InputFormat::Xml;
  if (head.find('\0') != std::string_view::npos) return InputFormat::Unknown;
  return InputFormat::PageText;
}

void read_buffer(std::string_view content, const Origin& origin, TrialSink& sink) {
  switch (detect_format(content.substr(0, kHeadBytes))) {
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
      for (const auto& f : folder_files(source, ec)) {
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
      std::vector<std::string> files = folder_files(source, ec);
      if (ec) {
        Origin origin;
        origin.file = source;
        ++counts.input_errors;
        sink.skipped(origin, fmt::format("cannot read folder: {}", ec.message()));
      }
      for (const auto& f : files) read_file(f, sink, counts);
      continue;
    }
    read_file(source, sink, counts);
  }
  return counts;
}

}  // namespace trialsearch
