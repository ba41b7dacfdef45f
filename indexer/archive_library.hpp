#pragma once

#include <archive.h>
#include <archive_entry.h>

#include <string>

namespace trialsearch {

// libarchive's reading functions, loaded with dlopen() the first time a zip archive is read.
// Only `index` of a zip needs them, and linking libarchive (with its eight dependencies) into
// the binary cost every process about 0.8 ms of start-up, a third of a whole `search`.
// Each member has the type of the libarchive function it names (taken from <archive.h>):
// X(member, function).
#define TRIALSEARCH_ARCHIVE_FUNCTIONS(X)                      \
  X(read_new, archive_read_new)                               \
  X(read_free, archive_read_free)                             \
  X(read_support_format_zip, archive_read_support_format_zip) \
  X(read_open_filename, archive_read_open_filename)           \
  X(read_open_memory, archive_read_open_memory)               \
  X(read_next_header, archive_read_next_header)               \
  X(read_data, archive_read_data)                             \
  X(filter_bytes, archive_filter_bytes)                       \
  X(error_string, archive_error_string)                       \
  X(errno_of, archive_errno)                                  \
  X(entry_pathname, archive_entry_pathname)                   \
  X(entry_filetype, archive_entry_filetype)                   \
  X(entry_size_is_set, archive_entry_size_is_set)             \
  X(entry_size, archive_entry_size)

struct ArchiveLibrary {
#define TRIALSEARCH_ARCHIVE_MEMBER(member, function) decltype(&::function) member = nullptr;
  TRIALSEARCH_ARCHIVE_FUNCTIONS(TRIALSEARCH_ARCHIVE_MEMBER)
#undef TRIALSEARCH_ARCHIVE_MEMBER
};

// The loaded library, or nullptr with `*error` saying why it could not be loaded (the library
// is missing, or lacks one of the functions). Loaded once per process; thread-safe.
const ArchiveLibrary* archive_library(std::string* error);

}  // namespace trialsearch
