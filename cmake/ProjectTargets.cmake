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

# superlink_unit_test(<name> SOURCES ... LIBS ... [PROGRAMS MACRO=target ...]): a GoogleTest
# binary registered with ctest, labelled "unit" so `ctest -L unit` runs them alone. Each PROGRAMS
# entry builds <target> before the test and gives the test its path as the string macro MACRO.
function(superlink_unit_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS;PROGRAMS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  superlink_strict(${name})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} GTest::gmock GTest::gtest_main)
  foreach(program IN LISTS ARG_PROGRAMS)
    if(NOT program MATCHES "^([A-Z_][A-Z0-9_]*)=(.+)$")
      message(FATAL_ERROR "superlink_unit_test(${name}): PROGRAMS entry '${program}' is not "
                          "MACRO=target")
    endif()
    target_compile_definitions(${name} PRIVATE
      ${CMAKE_MATCH_1}="$<TARGET_FILE:${CMAKE_MATCH_2}>")
    add_dependencies(${name} ${CMAKE_MATCH_2})
  endforeach()
  gtest_discover_tests(${name}
    DISCOVERY_TIMEOUT 60
    PROPERTIES LABELS unit TIMEOUT 120 FIXTURES_REQUIRED no_leftovers)
endfunction()

# superlink_slow_test(<ctest name> <test binary> <Suite.DISABLED_Case>): a GoogleTest case kept
# disabled in the binary (so discovery skips it) and run on its own under label "slow".
function(superlink_slow_test name binary test_case)
  add_test(NAME ${name}
    COMMAND ${binary} --gtest_also_run_disabled_tests --gtest_filter=${test_case})
  set_tests_properties(${name} PROPERTIES LABELS slow TIMEOUT 900
    FIXTURES_REQUIRED no_leftovers)
endfunction()

# superlink_leftover_check(): one last test, after every test that requires the fixture
# `no_leftovers`, failing if a process started from <build>/bin outlived its test. Every test
# must require that fixture (superlink_unit_test, superlink_slow_test and the scenarios do; a
# plain add_test must set FIXTURES_REQUIRED no_leftovers itself), or the check may run while it
# still runs.
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

# superlink_library(<name> [INTERFACE] [GENERATED] [ROOT <dir>] SOURCES ...): one library of the project under one name:
# the target superlink_<name> in this tree, superlink::<name> for users of the installed package
# and for an including project, libsuperlink_<name>.a on disk. Headers in <folder>/include/ are
# public (and installed); any other header is private to the folder's layer, reached from the
# layers above as "<layer>/<name>.h" from the folder's parent (e.g. harness/), when ROOT is given.
# GENERATED: code a generator wrote (protoc), compiled without the project's warning set.
function(superlink_library name)
  cmake_parse_arguments(ARG "INTERFACE;GENERATED" "ROOT" "SOURCES" ${ARGN})
  set(target superlink_${name})
  if(ARG_INTERFACE)
    add_library(${target} INTERFACE)
    set(scope INTERFACE)
  else()
    add_library(${target} STATIC ${ARG_SOURCES})
    set(scope PUBLIC)
    set_target_properties(${target} PROPERTIES OUTPUT_NAME superlink_${name})
    if(NOT ARG_GENERATED)
      superlink_strict(${target})
    endif()
  endif()
  set_target_properties(${target} PROPERTIES EXPORT_NAME ${name})
  add_library(superlink::${name} ALIAS ${target})
  if(EXISTS "${CMAKE_CURRENT_SOURCE_DIR}/include")
    target_include_directories(${target} ${scope}
      "$<BUILD_INTERFACE:${CMAKE_CURRENT_SOURCE_DIR}/include>" "$<INSTALL_INTERFACE:include>")
  endif()
  if(ARG_ROOT)
    target_include_directories(${target} ${scope} "$<BUILD_INTERFACE:${ARG_ROOT}>")
  endif()
endfunction()
