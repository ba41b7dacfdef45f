# Every dependency comes from Debian's packages; nothing is downloaded at build time.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(fmt REQUIRED)
find_package(CLI11 REQUIRED)
find_package(simdjson REQUIRED)
find_package(pugixml REQUIRED)

# Xapian 1.4 ships xapian-config.cmake with XAPIAN_INCLUDE_DIR / XAPIAN_LIBRARIES.
find_package(xapian 1.4 REQUIRED)
if(NOT TARGET Xapian::Xapian)
  add_library(Xapian::Xapian INTERFACE IMPORTED)
  set_target_properties(Xapian::Xapian PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "${XAPIAN_INCLUDE_DIR}"
    INTERFACE_LINK_LIBRARIES "${XAPIAN_LIBRARIES}")
endif()

pkg_check_modules(ICU REQUIRED IMPORTED_TARGET icu-uc icu-i18n)
pkg_check_modules(LibArchive REQUIRED IMPORTED_TARGET libarchive)
pkg_check_modules(Zstd REQUIRED IMPORTED_TARGET libzstd)
