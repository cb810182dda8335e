# Every dependency comes from a Debian 12 package installed by `make deps`; nothing is downloaded.
find_package(Threads REQUIRED)
find_package(OpenSSL 3 REQUIRED)
find_package(fmt REQUIRED)
find_package(nlohmann_json 3 REQUIRED)
find_package(CLI11 REQUIRED)
find_package(TBB REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(UTF8PROC REQUIRED IMPORTED_TARGET libutf8proc)
pkg_check_modules(TOMLPP REQUIRED IMPORTED_TARGET tomlplusplus)
if(MATCHGUARD_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
if(MATCHGUARD_BUILD_BENCHMARKS)
  find_package(benchmark REQUIRED)
endif()

# Flags every matchguard target shares.
add_library(matchguard_options INTERFACE)
target_compile_options(matchguard_options INTERFACE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
                                                   -Wno-missing-field-initializers)
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  # GCC 12 reports false positives for std::string concatenation at -O2/-O3 (GCC bugs 105329, 105651).
  target_compile_options(matchguard_options INTERFACE -Wno-restrict -Wno-stringop-overflow)
endif()
if(MATCHGUARD_WERROR)
  target_compile_options(matchguard_options INTERFACE -Werror)
endif()
if(MATCHGUARD_SANITIZE)
  target_compile_options(matchguard_options INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer
                                                     -fno-sanitize-recover=all)
  target_link_options(matchguard_options INTERFACE -fsanitize=address,undefined)
endif()
if(MATCHGUARD_BUILD_FUZZERS)
  # Coverage instrumentation for the library; the fuzz targets add the libFuzzer driver.
  target_compile_options(matchguard_options INTERFACE -fsanitize=fuzzer-no-link,address,undefined -g)
  target_link_options(matchguard_options INTERFACE -fsanitize=address,undefined)
endif()
target_include_directories(matchguard_options INTERFACE ${PROJECT_SOURCE_DIR}/include)

# Where the shared data (FEBRL, interoperability vectors) lives; tests read it.
set(MATCHGUARD_SHARED_DIR "${PROJECT_SOURCE_DIR}/../shared" CACHE PATH "Shared data folder")
