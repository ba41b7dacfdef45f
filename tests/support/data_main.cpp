// Tests over ../shared/data. When that folder is absent (a user's clone), say so and exit 77,
// which CTest reports as skipped: never a silent pass.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>

#include "tests/support/test_support.hpp"

int main(int argc, char** argv) {
  if (!std::filesystem::is_directory(trialsearch::test::shared_data_dir())) {
    std::fprintf(stderr, "SKIPPED: %s not found; the shared-data tests did not run\n",
                 trialsearch::test::shared_data_dir().c_str());
    return 77;
  }
  return Catch::Session().run(argc, argv);
}
