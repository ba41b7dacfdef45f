#include "indexer/archive_library.hpp"

#include <dlfcn.h>

#include <fmt/format.h>

namespace trialsearch {

namespace {

// The sonames to try: Debian's libarchive13 package, then an unversioned development link.
constexpr const char* kSonames[] = {"libarchive.so.13", "libarchive.so"};

struct Loaded {
  ArchiveLibrary library{};
  std::string error;
  bool ok = false;
};

template <typename F>
bool resolve(void* handle, const char* name, F* into, std::string* error) {
  void* symbol = dlsym(handle, name);
  if (!symbol) {
    *error = fmt::format("libarchive lacks {}", name);
    return false;
  }
  *into = reinterpret_cast<F>(symbol);
  return true;
}

Loaded load() {
  Loaded out;
  void* handle = nullptr;
  for (const char* soname : kSonames)
    if ((handle = dlopen(soname, RTLD_NOW | RTLD_LOCAL))) break;
  if (!handle) {
    const char* why = dlerror();
    out.error =
        fmt::format("reading zip archives needs libarchive (Debian package libarchive13): {}",
                    why ? why : "not found");
    return out;
  }
  out.ok = true;
#define TRIALSEARCH_ARCHIVE_RESOLVE(member, function) \
  out.ok = out.ok && resolve(handle, #function, &out.library.member, &out.error);
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
