#include "indexer/archive_library.hpp"

#include "indexer/dynamic_library.hpp"

namespace trialsearch {

namespace {

struct Loaded {
  ArchiveLibrary library{};
  std::string error;
  bool ok = false;
};

Loaded load() {
  Loaded out;
  // Debian's libarchive13 package, then an unversioned development link.
  void* handle = open_library({"libarchive.so.13", "libarchive.so"}, "libarchive13", &out.error);
  if (!handle) {
    out.error = "reading zip archives " + out.error;
    return out;
  }
  out.ok = true;
#define TRIALSEARCH_ARCHIVE_RESOLVE(member, function) \
  out.ok =                                            \
      out.ok && resolve_symbol(handle, "libarchive", #function, &out.library.member, &out.error);
  TRIALSEARCH_ARCHIVE_FUNCTIONS(TRIALSEARCH_ARCHIVE_RESOLVE)
#undef TRIALSEARCH_ARCHIVE_RESOLVE
  // The handle stays open for the life of the process: the functions are used until exit.
  return out;
}

}  // namespace

const ArchiveLibrary* archive_library(std::string* error) {
  static const Loaded loaded = load();  // C++11 guarantees one thread-safe initialisation
  if (!loaded.ok) {
    if (error) *error = loaded.error;
    return nullptr;
  }
  return &loaded.library;
}

}  // namespace trialsearch
