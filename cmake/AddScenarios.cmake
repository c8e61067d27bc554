# superlink_add_scenarios(ROOT <dir> HARNESS <target> MOCK <target>)
#
# Registers every scenario file under ROOT as one ctest test named `<folder>/<stem>`, run by the
# harness against the mock, labelled `scenario`, with its folder and the labels written in the
# file, and a timeout taken from the file's timeout_ms (plus a margin for sanitizer builds).
#
# Configure fails when a file under ROOT would silently never run: a scenario outside a subject
# folder, or a file that is not a .toml scenario. The build fails (target check_scenarios, part
# of ALL) when a scenario does not parse, naming file:line:column.
function(superlink_add_scenarios)
  cmake_parse_arguments(ARG "" "ROOT;HARNESS;MOCK" "" ${ARGN})
  file(GLOB_RECURSE all_files CONFIGURE_DEPENDS RELATIVE "${ARG_ROOT}" "${ARG_ROOT}/*")
  set(scenario_files "")
  foreach(rel IN LISTS all_files)
    if(rel STREQUAL "CMakeLists.txt" OR rel STREQUAL "README.md")
      continue()
    endif()
    get_filename_component(ext "${rel}" LAST_EXT)
    get_filename_component(folder "${rel}" DIRECTORY)
    if(NOT ext STREQUAL ".toml")
      message(FATAL_ERROR "scenarios/${rel}: not a scenario file (scenarios end in .toml), so it "
                          "would never run. Rename it or move it out of scenarios/.")
    endif()
    if(folder STREQUAL "")
      message(FATAL_ERROR "scenarios/${rel}: scenario files live in a subject folder "
                          "(scheduler/, rest/, ...); the folder is the test's label.")
    endif()
    list(APPEND scenario_files "${ARG_ROOT}/${rel}")

    get_filename_component(stem "${rel}" NAME_WE)
    file(READ "${ARG_ROOT}/${rel}" text)
    set(timeout 10)
    if(text MATCHES "(^|\n)timeout_ms *= *([0-9]+)")
      math(EXPR timeout "${CMAKE_MATCH_2} / 1000 + 1")
    endif()
    # Room for spawn, the grace period and slow sanitizer builds.
    math(EXPR timeout "${timeout} * 3 + 30")
    set(labels scenario ${folder})
    if(text MATCHES "(^|\n)labels *= *\\[([^]\n]*)\\]")
      string(REGEX MATCHALL "\"[^\"]+\"" quoted "${CMAKE_MATCH_2}")
      foreach(q IN LISTS quoted)
        string(REPLACE "\"" "" q "${q}")
        list(APPEND labels "${q}")
      endforeach()
    endif()
    list(REMOVE_DUPLICATES labels)

    set(test_name "${folder}/${stem}")
    add_test(NAME "${test_name}"
      COMMAND $<TARGET_FILE:${ARG_HARNESS}> run "${ARG_ROOT}/${rel}"
              --target $<TARGET_FILE:${ARG_MOCK}> --color never)
    # A scenario the target cannot run (failpoints compiled out) prints SKIP and exits 0: ctest
    # counts it as skipped, never passed.
    set_tests_properties("${test_name}" PROPERTIES LABELS "${labels}" TIMEOUT ${timeout}
      FIXTURES_REQUIRED no_leftovers SKIP_REGULAR_EXPRESSION "(^|\n)SKIP  ")
  endforeach()

  if(NOT scenario_files)
    message(FATAL_ERROR "no scenario files under ${ARG_ROOT}")
  endif()
  # Fault coverage: every site the mock lists is fired by some scenario (names the ones that
  # are not). The second test proves the check bites: one folder alone leaves sites uncovered.
  add_test(NAME catalogue/fault_coverage
    COMMAND $<TARGET_FILE:${ARG_HARNESS}> coverage "${ARG_ROOT}" --target $<TARGET_FILE:${ARG_MOCK}>)
  add_test(NAME catalogue/fault_coverage_names_uncovered_sites
    COMMAND $<TARGET_FILE:${ARG_HARNESS}> coverage "${ARG_ROOT}/config" --target $<TARGET_FILE:${ARG_MOCK}>)
  set_tests_properties(catalogue/fault_coverage_names_uncovered_sites PROPERTIES
    PASS_REGULAR_EXPRESSION
    "uncovered failpoint sites: scheduler.start, scheduler.launch, rest.start, rest.listen, rest.request\n")
  set_tests_properties(catalogue/fault_coverage catalogue/fault_coverage_names_uncovered_sites
    PROPERTIES LABELS "catalogue" TIMEOUT 60 FIXTURES_REQUIRED no_leftovers)
  # A mock built with SUPERLINK_FAILPOINTS=OFF has no sites to cover: skipped, not failed.
  set_tests_properties(catalogue/fault_coverage catalogue/fault_coverage_names_uncovered_sites
    PROPERTIES SKIP_REGULAR_EXPRESSION "the target lists no failpoint sites")

  set(stamp "${CMAKE_CURRENT_BINARY_DIR}/scenarios.checked")
  add_custom_command(OUTPUT "${stamp}"
    COMMAND $<TARGET_FILE:${ARG_HARNESS}> check "${ARG_ROOT}" --target $<TARGET_FILE:${ARG_MOCK}>
    COMMAND ${CMAKE_COMMAND} -E touch "${stamp}"
    DEPENDS ${ARG_HARNESS} ${ARG_MOCK} ${scenario_files}
    COMMENT "Checking the scenario catalogue"
    VERBATIM)
  add_custom_target(check_scenarios ALL DEPENDS "${stamp}")
endfunction()
