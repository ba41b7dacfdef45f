#include "indexer/dynamic_library.hpp"

#include <dlfcn.h>

#include <fmt/format.h>

namespace trialsearch {

void* open_library(std::initializer_list<const char*> sonames, const char* package,
                   std::string* error) {
  for (const char* soname : sonames)
    if (void* handle = dlopen(soname, RTLD_NOW | RTLD_LOCAL)) return handle;
  const char* why = dlerror();
  *error = fmt::format("needs {} (Debian package {}): {}", *sonames.begin(), package,
                       why ? why : "not found");
  return nullptr;
}

void* find_symbol(void* handle, const char* name) { return dlsym(handle, name); }

}  // namespace trialsearch
