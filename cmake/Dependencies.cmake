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
# libcurl: headers at build time; the library is loaded by `fetch` only (indexer/api_client.cpp).
find_package(CURL REQUIRED)
pkg_check_modules(Zstd REQUIRED IMPORTED_TARGET libzstd)

# The libraries a search loads, as shared libraries or (TRIALSEARCH_STATIC_LIBS) linked in from
# Debian's static archives: fmt header-only, pugixml's static target, ICU's and zstd's .a
# files. Each shared library costs every process its loading and symbol binding (BENCHMARKS.md,
# "Whole `trialsearch search` process"); simdjson and Xapian have no static archive in Debian.
add_library(trialsearch_icu INTERFACE)
add_library(trialsearch_zstd INTERFACE)
if(TRIALSEARCH_STATIC_LIBS)
  find_library(ICUUC_STATIC NAMES libicuuc.a REQUIRED)
  find_library(ICUDATA_STATIC NAMES libicudata.a REQUIRED)
  find_library(ZSTD_STATIC NAMES libzstd.a REQUIRED)
  target_include_directories(trialsearch_icu INTERFACE ${ICU_INCLUDE_DIRS})
  target_link_libraries(trialsearch_icu INTERFACE ${ICUUC_STATIC} ${ICUDATA_STATIC}
    Threads::Threads ${CMAKE_DL_LIBS})
  target_include_directories(trialsearch_zstd INTERFACE ${Zstd_INCLUDE_DIRS})
  target_link_libraries(trialsearch_zstd INTERFACE ${ZSTD_STATIC})
  set(TRIALSEARCH_FMT fmt::fmt-header-only)
  set(TRIALSEARCH_PUGIXML pugixml::static)
else()
  target_link_libraries(trialsearch_icu INTERFACE PkgConfig::ICU)
  target_link_libraries(trialsearch_zstd INTERFACE PkgConfig::Zstd)
  set(TRIALSEARCH_FMT fmt::fmt)
  set(TRIALSEARCH_PUGIXML pugixml::pugixml)
endif()
