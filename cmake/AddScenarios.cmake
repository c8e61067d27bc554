# superlink_add_catalogue(ROOT <dir> HARNESS <target> MOCK <target>)
#
# This project's own catalogue, registered the way any project registers its scenarios
# (superlink_add_scenarios, SuperlinkAddScenarios.cmake): one ctest test `<folder>/<stem>` per
# file, run against the mock, names, labels and timeouts from `superlink-harness list`. The
# harness is built here, so the list is made at build time by `check_scenarios` (part of ALL;
# a scenario that does not parse fails the build, naming file:line:column). Every test requires
# the fixture `no_leftovers`. Two more tests check fault coverage.
include(SuperlinkAddScenarios)

function(superlink_add_catalogue)
  cmake_parse_arguments(ARG "" "ROOT;HARNESS;MOCK" "" ${ARGN})
  superlink_add_scenarios("${ARG_ROOT}" HARNESS ${ARG_HARNESS} TARGET ${ARG_MOCK}
    CHECK_TARGET check_scenarios
    PROPERTIES FIXTURES_REQUIRED no_leftovers)
  # The same catalogue for Flower 1.26: the scenarios whose promise holds for it, as 1.26.
  superlink_add_scenarios("${ARG_ROOT}" HARNESS ${ARG_HARNESS} TARGET ${ARG_MOCK}
    PREFIX "v1.26/" FLOWER_VERSION 1.26 LABELS flower-1.26
    CHECK_TARGET check_scenarios_1_26
    PROPERTIES FIXTURES_REQUIRED no_leftovers)
  # The catalogue as a project registers it against a real flower-superlink (KIND flower), here
  # against the persona: the kind = "mock" scenarios report SKIPPED, the rest must pass.
  superlink_add_scenarios("${ARG_ROOT}" HARNESS ${ARG_HARNESS}
    TARGET "$<TARGET_FILE_DIR:${ARG_MOCK}>/flower-superlink" KIND flower
    PREFIX "persona/" LABELS persona CHECK_TARGET check_scenarios_persona
    PROPERTIES FIXTURES_REQUIRED no_leftovers)
  # The same against the persona as Flower 1.26: the kind flower scenarios whose promise holds
  # for 1.26, as a project registers them against a real 1.26 install.
  superlink_add_scenarios("${ARG_ROOT}" HARNESS ${ARG_HARNESS}
    TARGET "$<TARGET_FILE_DIR:${ARG_MOCK}>/flower-superlink" KIND flower
    PREFIX "persona-1.26/" FLOWER_VERSION 1.26 LABELS persona
    CHECK_TARGET check_scenarios_persona_1_26
    PROPERTIES FIXTURES_REQUIRED no_leftovers)
  # `check --target` also refuses failpoint sites the mock does not have (part of ALL).
  set(stamp "${CMAKE_CURRENT_BINARY_DIR}/scenario_sites.checked")
  file(GLOB_RECURSE scenario_files CONFIGURE_DEPENDS "${ARG_ROOT}/*.toml")
  add_custom_command(OUTPUT "${stamp}"
    COMMAND $<TARGET_FILE:${ARG_HARNESS}> check "${ARG_ROOT}" --target $<TARGET_FILE:${ARG_MOCK}>
    COMMAND ${CMAKE_COMMAND} -E touch "${stamp}"
    DEPENDS ${ARG_HARNESS} ${ARG_MOCK} ${scenario_files}
    COMMENT "Checking the catalogue's failpoint sites against the mock"
    VERBATIM)
  add_custom_target(check_scenario_sites ALL DEPENDS "${stamp}")

  # Fault coverage: every site the mock lists is fired by some scenario (names the ones that
  # are not). The second test proves the check bites: one folder alone leaves sites uncovered.
  add_test(NAME catalogue/fault_coverage
    COMMAND $<TARGET_FILE:${ARG_HARNESS}> coverage "${ARG_ROOT}" --target $<TARGET_FILE:${ARG_MOCK}>)
  add_test(NAME catalogue/fault_coverage_1_26
    COMMAND $<TARGET_FILE:${ARG_HARNESS}> coverage "${ARG_ROOT}" --target $<TARGET_FILE:${ARG_MOCK}>
            --flower-version 1.26)
  add_test(NAME catalogue/fault_coverage_names_uncovered_sites
    COMMAND $<TARGET_FILE:${ARG_HARNESS}> coverage "${ARG_ROOT}/config" --target $<TARGET_FILE:${ARG_MOCK}>)
  set_tests_properties(catalogue/fault_coverage_names_uncovered_sites PROPERTIES
    PASS_REGULAR_EXPRESSION
    "uncovered failpoint sites: scheduler.start, scheduler.launch, rest.start, rest.listen, rest.request, grpc.request, grpc.handler, superlink.startup\n")
  set(coverage_tests catalogue/fault_coverage catalogue/fault_coverage_1_26
      catalogue/fault_coverage_names_uncovered_sites)
  set_tests_properties(${coverage_tests}
    PROPERTIES LABELS "catalogue" TIMEOUT 60 FIXTURES_REQUIRED no_leftovers)
  # A mock built with SUPERLINK_FAILPOINTS=OFF has no sites to cover: skipped, not failed.
  set_tests_properties(${coverage_tests}
    PROPERTIES SKIP_REGULAR_EXPRESSION "the target lists no failpoint sites")
endfunction()
