# matchguard_add_layer(<name> [DEPS <targets>...])
#
# Builds src/<name>/*.cc (minus *_test.cc, *_benchmark.cc, *_fuzz.cc) into the static library
# mg_<name>. Files named *_avx2.cc and *_avx512.cc are compiled with their own ISA flags and must
# only be called through runtime dispatch: the library as a whole stays baseline x86-64.
# Tests beside the sources (*_test.cc) become the executable <name>_test, registered with CTest and
# labelled "unit"; *_benchmark.cc files become <name>_benchmark.
function(matchguard_add_layer name)
  cmake_parse_arguments(L "" "" "DEPS" ${ARGN})
  set(dir ${CMAKE_CURRENT_SOURCE_DIR})
  file(GLOB all_sources CONFIGURE_DEPENDS ${dir}/*.cc)
  set(sources ${all_sources})
  list(FILTER sources EXCLUDE REGEX "_(test|benchmark|fuzz)\\.cc$")
  foreach(src IN LISTS sources)
    if(src MATCHES "_avx2\\.cc$")
      set_source_files_properties(${src} PROPERTIES COMPILE_OPTIONS "-mavx2;-mpopcnt;-mbmi;-mbmi2;-mfma")
    elseif(src MATCHES "_avx512\\.cc$")
      set_source_files_properties(${src} PROPERTIES
        COMPILE_OPTIONS "-mavx512f;-mavx512bw;-mavx512vl;-mavx512vpopcntdq;-mavx2;-mpopcnt;-mbmi2")
    endif()
  endforeach()
  if(NOT sources)
    # A layer whose sources are not written yet only passes its dependencies on.
    add_library(mg_${name} INTERFACE)
    target_link_libraries(mg_${name} INTERFACE matchguard_options ${L_DEPS})
    return()
  endif()
  add_library(mg_${name} STATIC ${sources})
  target_include_directories(mg_${name} PUBLIC ${PROJECT_SOURCE_DIR}/include ${PROJECT_SOURCE_DIR})
  target_link_libraries(mg_${name} PUBLIC matchguard_options ${L_DEPS})
  set_property(GLOBAL APPEND PROPERTY MATCHGUARD_LAYER_TARGETS mg_${name})

  set(tests ${all_sources})
  list(FILTER tests INCLUDE REGEX "_test\\.cc$")
  if(MATCHGUARD_BUILD_TESTS AND tests)
    add_executable(${name}_test ${tests})
    target_link_libraries(${name}_test PRIVATE mg_${name} GTest::gtest GTest::gmock GTest::gtest_main)
    target_compile_definitions(${name}_test PRIVATE MATCHGUARD_SHARED_DIR="${MATCHGUARD_SHARED_DIR}")
    # A GTEST_SKIP (a kernel this CPU cannot run) is reported by ctest as skipped, not as passed.
    gtest_discover_tests(${name}_test DISCOVERY_MODE PRE_TEST PROPERTIES LABELS "unit"
                         SKIP_REGULAR_EXPRESSION "\\[  SKIPPED \\]")
  endif()

  set(benches ${all_sources})
  list(FILTER benches INCLUDE REGEX "_benchmark\\.cc$")
  if(MATCHGUARD_BUILD_BENCHMARKS AND benches)
    add_executable(${name}_benchmark ${benches})
    target_link_libraries(${name}_benchmark PRIVATE mg_${name} benchmark::benchmark_main)
    target_compile_definitions(${name}_benchmark PRIVATE MATCHGUARD_SHARED_DIR="${MATCHGUARD_SHARED_DIR}")
    set_property(GLOBAL APPEND PROPERTY MATCHGUARD_BENCHMARK_TARGETS ${name}_benchmark)
  endif()
endfunction()
