/// @brief Loading a shared library with dlopen() on first use, so that commands that never need
/// it (search, show...) do not pay for loading it and its dependencies at start-up.
#pragma once

#include <initializer_list>
#include <string>

namespace trialsearch {

/// The first of `sonames` that dlopen() can load (kept open for the life of the process), or
/// nullptr with `*error` saying why, naming `package`, the Debian package that provides it.
void* open_library(std::initializer_list<const char*> sonames, const char* package,
                   std::string* error);

/// dlsym(): the address of `name` in `handle`, or nullptr.
void* find_symbol(void* handle, const char* name);

/// Looks `name` up in `handle` into `*into` (a function pointer of the right type); false with
/// `*error` naming the symbol and `library` when it is missing.
template <typename F>
bool resolve_symbol(void* handle, const char* library, const char* name, F* into,
                    std::string* error) {
  void* symbol = find_symbol(handle, name);
  if (!symbol) {
    *error = std::string(library) + " lacks " + name;
    return false;
  }
  *into = reinterpret_cast<F>(symbol);
  return true;
}

}  // namespace trialsearch
