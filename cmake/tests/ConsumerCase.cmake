# cmake -DCASE=<case> -DPREFIX=<installed prefix> -DWORK=<scratch folder> [-DSOURCE=<this project>]
#       -P ConsumerCase.cmake
#
# Configures a small consumer project against the installed package, as a new user would, and
# checks what it gets: for the bad-input cases, the exact configure error; for `listing`, the
# names, labels and timeouts ctest ends up with. Fails (naming what it saw) otherwise.
foreach(var IN ITEMS CASE PREFIX WORK SOURCE)
  if(NOT ${var})
    message(FATAL_ERROR "ConsumerCase.cmake: ${var} is not set")
  endif()
endforeach()
set(src "${WORK}/${CASE}/src")
set(bin "${WORK}/${CASE}/build")
file(REMOVE_RECURSE "${WORK}/${CASE}")
file(MAKE_DIRECTORY "${src}/scenarios")

if(CASE STREQUAL "installed_layout")
  # Nothing of Flower's names in bin/: flower-superexec sits beside the persona, where an
  # installed 1.26 mock still finds and starts it.
  file(GLOB persona_dir "${PREFIX}/libexec/superlink-harness/flower")
  if(EXISTS "${PREFIX}/bin/flower-superexec" OR NOT EXISTS "${persona_dir}/flower-superexec")
    message(FATAL_ERROR "case installed_layout: flower-superexec must be in ${persona_dir}, "
                        "not in ${PREFIX}/bin")
  endif()
  execute_process(COMMAND "${PREFIX}/bin/superlink-harness" run --color never
                          "${SOURCE}/scenarios/v1_26/superexec_start_panic.toml"
                          --target "${PREFIX}/bin/mock-superlink"
    RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "case installed_layout: the installed 1.26 mock did not start its "
                        "flower-superexec (${status}):\n${out}${err}")
  endif()
  message(STATUS "case installed_layout: flower-superexec beside the persona, and started")
  return()
endif()

set(version "")
set(find "")
set(call "superlink_add_scenarios(scenarios PREFIX ds/ LABELS mine)")
set(scenario_text "description = \"d\"\n[superlink]\ncommand = [\"true\"]\nready_file = false\n[expect]\nexit_code = 0\n")
if(CASE STREQUAL "listing")
  file(WRITE "${src}/scenarios/slow/long_one.toml"
    "description = \"long\"\ntimeout_ms = 60_000\nlabels = [\n  \"nightly\",\n  \"db\",\n]\n"
    "[superlink]\ncommand = [\"true\"]\nready_file = false\n[expect]\nexit_code = 0\n")
  file(WRITE "${src}/scenarios/fast/plain.toml" "${scenario_text}")
  set(call "superlink_add_scenarios(scenarios PREFIX ds/ LABELS mine "
           "TARGET \${SUPERLINK_MOCK_EXECUTABLE})")
  set(expected_error "")
elseif(CASE STREQUAL "flat_folder")
  # Another project's natural layout: the scenario files directly in the folder given.
  file(WRITE "${src}/scenarios/plain.toml" "${scenario_text}")
  set(call "superlink_add_scenarios(scenarios PREFIX ds/ LABELS mine "
           "TARGET \${SUPERLINK_MOCK_EXECUTABLE})")
  set(expected_error "")
elseif(CASE STREQUAL "missing_folder")
  set(call "superlink_add_scenarios(nope)")
  set(expected_error "superlink_add_scenarios: ${src}/nope: no such folder")
elseif(CASE STREQUAL "empty_folder")
  file(WRITE "${src}/scenarios/README.md" "nothing yet\n")
  set(expected_error "superlink_add_scenarios: ${src}/scenarios holds no scenario (no .toml file)")
elseif(CASE STREQUAL "unparsable_file")
  file(WRITE "${src}/scenarios/crash/good.toml" "${scenario_text}")
  file(WRITE "${src}/scenarios/crash/bad.toml" "description = \"x\"\ntimeout_ms = [1\n")
  set(expected_error "${src}/scenarios/crash/bad.toml:2:17: Error while parsing array")
elseif(CASE STREQUAL "stray_file")
  file(WRITE "${src}/scenarios/crash/good.toml" "${scenario_text}")
  file(WRITE "${src}/scenarios/crash/notes.txt" "not a scenario\n")
  set(expected_error "${src}/scenarios/crash/notes.txt: not a scenario file (scenarios end in "
                     ".toml), so it would never run.")
elseif(CASE STREQUAL "version_too_new")
  set(version 99)
  file(GLOB config "${PREFIX}/lib*/cmake/SuperlinkHarness/SuperlinkHarnessConfig.cmake")
  set(expected_error "compatible with requested version \"99\". The following configuration "
                     "files were considered but not accepted: ${config}, version: 0.1.0")
elseif(CASE STREQUAL "config_without_programs")
  # The package's CMake files (and libraries) without the programs beside them.
  file(MAKE_DIRECTORY "${WORK}/${CASE}/prefix")
  file(GLOB lib_parts LIST_DIRECTORIES true "${PREFIX}/lib*")
  file(COPY ${lib_parts} DESTINATION "${WORK}/${CASE}/prefix")
  set(PREFIX "${WORK}/${CASE}/prefix")
  file(WRITE "${src}/scenarios/crash/good.toml" "${scenario_text}")
  set(expected_error "but its program ${PREFIX}/bin/superlink-harness is missing: the package "
                     "is incomplete")
elseif(CASE STREQUAL "subproject")
  # This project through add_subdirectory: its targets, none of its tests (SOURCE: its folder).
  file(WRITE "${src}/scenarios/crash/good.toml" "${scenario_text}")
  set(find "add_subdirectory([==[${SOURCE}]==] superlink)\n"
           "foreach(t IN ITEMS superlink::failpoint superlink::harness superlink::testing)\n"
           "  if(NOT TARGET \${t})\n    message(FATAL_ERROR \"no target \${t}\")\n  endif()\n"
           "endforeach()\n")
  set(expected_error "")
else()
  message(FATAL_ERROR "ConsumerCase.cmake: unknown CASE '${CASE}'")
endif()
string(JOIN "" expected_error ${expected_error})
string(JOIN "" call ${call})
if(NOT find)
  set(find "find_package(SuperlinkHarness ${version} REQUIRED)\n")
endif()

file(WRITE "${src}/CMakeLists.txt"
  "cmake_minimum_required(VERSION 3.25)\nproject(consumer LANGUAGES CXX)\nenable_testing()\n"
  ${find} "${call}\n")
execute_process(COMMAND "${CMAKE_COMMAND}" -S "${src}" -B "${bin}" -G Ninja
                        "-DCMAKE_PREFIX_PATH=${PREFIX}"
  RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
# CMake wraps long messages; compare with the line breaks and indentation folded away.
string(REGEX REPLACE "\n[\n ]*" " " folded "${err}")

if(expected_error)
  string(FIND "${folded}" "${expected_error}" at)
  if(status EQUAL 0 OR at EQUAL -1)
    message(FATAL_ERROR "case ${CASE}: expected a failed configure saying\n  ${expected_error}\n"
                        "got status ${status} and:\n${err}")
  endif()
  message(STATUS "case ${CASE}: configure failed as it must: ${expected_error}")
  return()
endif()
if(NOT status EQUAL 0)
  message(FATAL_ERROR "case ${CASE}: configure failed:\n${err}")
endif()

# What ctest will run.
if(CASE STREQUAL "subproject")
  # The harness is built in this build, so the list is made at build time; before it, the one
  # placeholder test stands for the folder. None of this project's own tests is there.
  execute_process(COMMAND "${CMAKE_CTEST_COMMAND}" -N WORKING_DIRECTORY "${bin}"
    OUTPUT_VARIABLE listed)
  string(REGEX MATCHALL "Test +#[0-9]+: [^\n]+" tests "${listed}")
  if(NOT tests MATCHES "^Test +#1: ds/scenarios_NOT_BUILT$")
    message(FATAL_ERROR "case subproject: ctest lists\n${listed}")
  endif()
  message(STATUS "case subproject: superlink:: targets, and no test of the subproject's own")
  return()
endif()
execute_process(COMMAND "${CMAKE_CTEST_COMMAND}" --show-only=json-v1 WORKING_DIRECTORY "${bin}"
  RESULT_VARIABLE status OUTPUT_VARIABLE json)
set(seen "")
string(JSON count LENGTH "${json}" tests)
math(EXPR last "${count} - 1")
foreach(i RANGE ${last})
  string(JSON name GET "${json}" tests ${i} name)
  string(JSON property_count LENGTH "${json}" tests ${i} properties)
  math(EXPR last_property "${property_count} - 1")
  set(labels "")
  set(timeout "")
  foreach(j RANGE ${last_property})
    string(JSON property GET "${json}" tests ${i} properties ${j} name)
    if(property STREQUAL "LABELS")
      string(JSON labels GET "${json}" tests ${i} properties ${j} value)
    elseif(property STREQUAL "TIMEOUT")
      string(JSON timeout GET "${json}" tests ${i} properties ${j} value)
    endif()
  endforeach()
  string(REPLACE " " "" labels "${labels}")
  string(JSON command GET "${json}" tests ${i} command)
  string(REGEX REPLACE "[\n ]" "" command "${command}")
  string(APPEND seen "${name} ${labels} ${timeout} ${command}\n")
endforeach()
if(CASE STREQUAL "flat_folder")
  # The folder's name is the group, and a label.
  set(run "[\"${PREFIX}/bin/superlink-harness\",\"run\",\"${src}/scenarios")
  set(against "\"--color\",\"never\",\"--target\",\"${PREFIX}/bin/mock-superlink\"]")
  set(expected "ds/scenarios/plain [\"mine\",\"scenario\",\"scenarios\"] 63.0 ${run}/plain.toml\",${against}
")
  if(NOT seen STREQUAL expected)
    message(FATAL_ERROR "case flat_folder: ctest got\n${seen}instead of\n${expected}")
  endif()
  message(STATUS "case flat_folder: a flat folder registers, its name the group and a label")
  return()
endif()
# ctest lists labels sorted; 60_000 ms gives (60 + 1) * 3 + 30 = 213 s, 10 s (default) 63 s;
# every test runs the installed harness against TARGET.
set(run "[\"${PREFIX}/bin/superlink-harness\",\"run\",\"${src}/scenarios")
set(against "\"--color\",\"never\",\"--target\",\"${PREFIX}/bin/mock-superlink\"]")
set(expected "ds/fast/plain [\"fast\",\"mine\",\"scenario\"] 63.0 ${run}/fast/plain.toml\",${against}
ds/slow/long_one [\"db\",\"mine\",\"nightly\",\"scenario\",\"slow\"] 213.0 ${run}/slow/long_one.toml\",${against}
")
if(NOT seen STREQUAL expected)
  message(FATAL_ERROR "case listing: ctest got\n${seen}instead of\n${expected}")
endif()
message(STATUS "case listing: names, labels, timeouts and commands as the harness read them")
