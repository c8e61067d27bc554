# superlink_add_scenarios(<dir> [TARGET <exe-target-or-path>] [LABELS <label>...] [PREFIX <text>]
#                         [HARNESS <exe-target-or-path>] [CHECK_TARGET <name>]
#                         [FLOWER_VERSION <version>] [KIND mock|flower]
#                         [PROPERTIES <ctest property> <value>...])
#
# Registers every scenario file under <dir> as one ctest test named <PREFIX><group>/<name>, run
# by superlink-harness (`run FILE --color never`, plus `--target` when TARGET is given). Names,
# labels and timeouts come from the harness itself (`superlink-harness list --format json`), never
# from parsing TOML here. Labels: `scenario`, the group (the scenario's folder), the file's own
# `labels`, then LABELS. Timeout: (timeout_ms / 1000 + 1) * 3 + 30 seconds, room for spawn, the
# grace period and sanitizer builds. PROPERTIES (generator expressions allowed) are added to every
# test. FLOWER_VERSION registers only the scenarios whose promise holds for that version, each run
# with `--flower-version <version>` (give them a PREFIX of their own). KIND flower runs every test
# with `--target-kind flower`: TARGET is then a Flower-like SuperLink (a real flower-superlink, or
# the persona), the kind = "mock" scenarios report SKIPPED, and so do those that need failpoints
# or a ready file when TARGET is not the mock (docs/real-superlink.md).
#
# Which harness lists the folder, and when:
#   - an installed one (find_package(SuperlinkHarness) gives superlink::superlink-harness, or
#     HARNESS names a file): at configure time, so a file that does not parse fails the configure,
#     naming file:line:column; changing, adding or removing a scenario re-runs the configure.
#   - one built by the same project (HARNESS, or the default `superlink-harness`, is a target of
#     this build): at build time, after the harness is linked (CHECK_TARGET names that build
#     step; a file that does not parse fails the build, naming it). ctest reads the list through
#     TEST_INCLUDE_FILES, the way gtest_discover_tests does, so configure needs no binary.
#
# Configure fails on a <dir> that does not exist or holds no scenario, and on a file under it that
# would never run: one that is not a .toml scenario (CMakeLists.txt and README.md at the top are
# allowed). A scenario's folder is its group and a label: a subject folder under <dir>
# (scheduler/, rest/), or <dir> itself for the files directly in it (a flat folder).
function(superlink_add_scenarios dir)
  cmake_parse_arguments(ARG "" "TARGET;PREFIX;HARNESS;CHECK_TARGET;FLOWER_VERSION;KIND"
                        "LABELS;PROPERTIES" ${ARGN})
  # Beside this file, wherever it was included from (a subproject's variables stay in its scope).
  set(script "${CMAKE_CURRENT_FUNCTION_LIST_DIR}/SuperlinkScenarioTests.cmake")
  if(ARG_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "superlink_add_scenarios: unknown arguments: ${ARG_UNPARSED_ARGUMENTS}")
  endif()
  if(ARG_KIND AND NOT ARG_KIND MATCHES "^(mock|flower)$")
    message(FATAL_ERROR "superlink_add_scenarios: KIND must be mock or flower, not '${ARG_KIND}'")
  endif()
  get_filename_component(dir "${dir}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  if(NOT IS_DIRECTORY "${dir}")
    message(FATAL_ERROR "superlink_add_scenarios: ${dir}: no such folder")
  endif()

  file(GLOB_RECURSE all_files CONFIGURE_DEPENDS RELATIVE "${dir}" "${dir}/*")
  set(scenario_files "")
  foreach(rel IN LISTS all_files)
    if(rel STREQUAL "CMakeLists.txt" OR rel STREQUAL "README.md")
      continue()
    endif()
    get_filename_component(ext "${rel}" LAST_EXT)
    if(NOT ext STREQUAL ".toml")
      message(FATAL_ERROR "${dir}/${rel}: not a scenario file (scenarios end in .toml), so it "
                          "would never run. Rename it or move it out of ${dir}.")
    endif()
    list(APPEND scenario_files "${dir}/${rel}")
  endforeach()
  if(NOT scenario_files)
    message(FATAL_ERROR "superlink_add_scenarios: ${dir} holds no scenario (no .toml file)")
  endif()

  # The harness that lists the folder: a target of this build (listed at build time) or a file.
  if(NOT ARG_HARNESS)
    if(TARGET superlink-harness)
      set(ARG_HARNESS superlink-harness)
    elseif(TARGET superlink::superlink-harness)
      set(ARG_HARNESS superlink::superlink-harness)
    else()
      message(FATAL_ERROR "superlink_add_scenarios: no harness: find_package(SuperlinkHarness) "
                          "first, or give HARNESS <path>")
    endif()
  endif()
  set(built_here FALSE)
  if(TARGET "${ARG_HARNESS}")
    get_target_property(imported "${ARG_HARNESS}" IMPORTED)
    if(imported)
      get_target_property(harness_file "${ARG_HARNESS}" LOCATION)
    else()
      set(built_here TRUE)
      set(harness_file "$<TARGET_FILE:${ARG_HARNESS}>")
    endif()
  else()
    set(harness_file "${ARG_HARNESS}")
  endif()
  if(NOT built_here AND NOT EXISTS "${harness_file}")
    message(FATAL_ERROR "superlink_add_scenarios: the harness ${harness_file} does not exist")
  endif()
  set(target_file "")
  if(ARG_TARGET AND TARGET "${ARG_TARGET}")
    set(target_file "$<TARGET_FILE:${ARG_TARGET}>")
  elseif(ARG_TARGET)
    set(target_file "${ARG_TARGET}")
  endif()

  # One id per call, so several folders can be registered from one directory.
  get_property(count DIRECTORY PROPERTY _SUPERLINK_SCENARIO_SETS)
  if(NOT count)
    set(count 0)
  endif()
  math(EXPR count "${count} + 1")
  set_property(DIRECTORY PROPERTY _SUPERLINK_SCENARIO_SETS ${count})
  set(base "${CMAKE_CURRENT_BINARY_DIR}/superlink_scenarios_${count}")

  # What the script needs besides the harness; lists survive in a file, not on a command line.
  set(params "")
  foreach(var IN ITEMS dir ARG_PREFIX ARG_LABELS ARG_FLOWER_VERSION ARG_KIND)
    string(APPEND params "set(${var} [==[${${var}}]==])\n")
  endforeach()
  file(WRITE "${base}_params.cmake" "${params}")

  if(built_here)
    add_custom_command(OUTPUT "${base}_tests.cmake"
      COMMAND "${CMAKE_COMMAND}" "-DHARNESS=${harness_file}" "-DPARAMS=${base}_params.cmake"
              "-DOUTPUT=${base}_tests.cmake" -P "${script}"
      DEPENDS ${ARG_HARNESS} ${scenario_files} "${base}_params.cmake" "${script}"
      COMMENT "Listing the scenarios under ${dir}"
      VERBATIM)
    if(NOT ARG_CHECK_TARGET)
      set(ARG_CHECK_TARGET "superlink_scenarios_${count}")
      string(MAKE_C_IDENTIFIER "${ARG_CHECK_TARGET}_${CMAKE_CURRENT_SOURCE_DIR}" ARG_CHECK_TARGET)
    endif()
    add_custom_target(${ARG_CHECK_TARGET} ALL DEPENDS "${base}_tests.cmake")
  else()
    execute_process(
      COMMAND "${CMAKE_COMMAND}" "-DHARNESS=${harness_file}" "-DPARAMS=${base}_params.cmake"
              "-DOUTPUT=${base}_tests.cmake" -P "${script}"
      RESULT_VARIABLE status ERROR_VARIABLE error)
    if(NOT status EQUAL 0)
      string(STRIP "${error}" error)
      message(FATAL_ERROR "${error}")
    endif()
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
      ${scenario_files} "${harness_file}")
  endif()

  # Read by ctest: where the harness and the target are, then the list and the caller's
  # PROPERTIES (generator expressions resolved, quoting kept), or one failing test when the list
  # was never built.
  set(properties "")
  if(ARG_PROPERTIES)
    set(properties "  set_tests_properties(\${_superlink_tests} PROPERTIES")
    foreach(piece IN LISTS ARG_PROPERTIES)
      string(APPEND properties " [==[${piece}]==]")
    endforeach()
    string(APPEND properties ")\n")
  endif()
  file(GENERATE OUTPUT "${base}_include.cmake" CONTENT
"set(_superlink_harness [==[${harness_file}]==])
set(_superlink_target [==[${target_file}]==])
set(_superlink_tests \"\")
if(EXISTS [==[${base}_tests.cmake]==])
  include([==[${base}_tests.cmake]==])
${properties}else()
  add_test([==[${ARG_PREFIX}scenarios_NOT_BUILT]==] [==[${ARG_PREFIX}scenarios_NOT_BUILT]==])
endif()
")
  set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES "${base}_include.cmake")
endfunction()
