# Helpers that give every target of the project the same warnings, without global flags.

# superlink_strict(<target>): the project's warning set, errors included.
function(superlink_strict target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Werror)
  # g++ 12 at -O2 reports -Wrestrict inside libstdc++'s own std::string concatenation (GCC bug
  # 105329), a false positive that -Werror would turn into a broken Release build.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    target_compile_options(${target} PRIVATE -Wno-restrict)
  endif()
endfunction()

# superlink_unit_test(<name> SOURCES ... LIBS ...): a GoogleTest binary registered with ctest.
# Tests are labelled "unit" so `ctest -L unit` runs them alone.
function(superlink_unit_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  superlink_strict(${name})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} GTest::gmock GTest::gtest_main)
  gtest_discover_tests(${name}
    DISCOVERY_TIMEOUT 60
    PROPERTIES LABELS unit TIMEOUT 120 FIXTURES_REQUIRED no_leftovers)
endfunction()

# superlink_leftover_check(): one last test, after every test that requires the fixture
# `no_leftovers`, failing if a process started from <build>/bin outlived its test. Every test
# must require that fixture (superlink_unit_test and the scenarios do; a plain add_test must set
# FIXTURES_REQUIRED no_leftovers itself), or the check may run while it still runs.
function(superlink_leftover_check)
  add_test(NAME suite/no_leftover_processes
    COMMAND ${CMAKE_COMMAND} -DBIN_DIR=${CMAKE_BINARY_DIR}/bin
            -P ${PROJECT_SOURCE_DIR}/cmake/CheckNoLeftovers.cmake)
  set_tests_properties(suite/no_leftover_processes PROPERTIES
    FIXTURES_CLEANUP no_leftovers LABELS "unit;scenario")
endfunction()

# superlink_fuzz_target(<name> SOURCES ... LIBS ...): a libFuzzer executable, built only with
# SUPERLINK_FUZZ=ON (preset `fuzz`, clang); its seed corpus sits beside it in <name>_corpus/.
function(superlink_fuzz_target name)
  if(NOT SUPERLINK_FUZZ)
    return()
  endif()
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS})
  target_link_options(${name} PRIVATE -fsanitize=fuzzer)
  superlink_strict(${name})
endfunction()
