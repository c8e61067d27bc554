# cmake -DHARNESS=<superlink-harness> -DPARAMS=<params.cmake> -DOUTPUT=<tests.cmake>
#       -P SuperlinkScenarioTests.cmake
#
# Asks the harness for the scenarios under `dir` (set in PARAMS, with ARG_PREFIX and ARG_LABELS;
# see SuperlinkAddScenarios.cmake) and writes the ctest lines that register them, with their
# labels and timeouts, and append their names to _superlink_tests. The lines run
# "${_superlink_harness}" against "${_superlink_target}", which the include file that reads them
# sets (it also adds the caller's PROPERTIES). Fails, with the harness's own message, when a file
# does not parse.
foreach(var IN ITEMS HARNESS PARAMS OUTPUT)
  if(NOT ${var})
    message(FATAL_ERROR "SuperlinkScenarioTests.cmake: ${var} is not set")
  endif()
endforeach()
include("${PARAMS}")

set(version_args "")
if(ARG_FLOWER_VERSION)
  set(version_args --flower-version "${ARG_FLOWER_VERSION}")
endif()
if(ARG_KIND)
  list(APPEND version_args --target-kind "${ARG_KIND}")
endif()
execute_process(COMMAND "${HARNESS}" list --format json "${dir}" ${version_args}
  RESULT_VARIABLE status OUTPUT_VARIABLE listing ERROR_VARIABLE error)
if(NOT status EQUAL 0)
  string(STRIP "${error}" error)
  message(FATAL_ERROR "superlink_add_scenarios(${dir}): `superlink-harness list` failed "
                      "(${status}):\n${error}")
endif()

# Quoted with [==[ ]==] so names, files and labels reach ctest exactly as written.
function(_superlink_quote out text)
  set(${out} "[==[${text}]==]" PARENT_SCOPE)
endfunction()

set(lines "")
string(JSON count LENGTH "${listing}")
if(count GREATER 0)
  math(EXPR last "${count} - 1")
  foreach(i RANGE ${last})
    string(JSON name GET "${listing}" ${i} name)
    string(JSON group GET "${listing}" ${i} group)
    string(JSON file GET "${listing}" ${i} file)
    string(JSON timeout_ms GET "${listing}" ${i} timeout_ms)
    string(JSON label_count LENGTH "${listing}" ${i} labels)
    set(labels scenario ${group})
    if(label_count GREATER 0)
      math(EXPR last_label "${label_count} - 1")
      foreach(j RANGE ${last_label})
        string(JSON label GET "${listing}" ${i} labels ${j})
        list(APPEND labels "${label}")
      endforeach()
    endif()
    list(APPEND labels ${ARG_LABELS})
    list(REMOVE_DUPLICATES labels)
    # Room for spawn, the grace period and slow sanitizer builds.
    math(EXPR timeout "(${timeout_ms} / 1000 + 1) * 3 + 30")

    _superlink_quote(test "${ARG_PREFIX}${group}/${name}")
    _superlink_quote(quoted_file "${file}")
    _superlink_quote(quoted_labels "${labels}")
    set(quoted_version_args "")
    foreach(arg IN LISTS version_args)
      string(APPEND quoted_version_args " [==[${arg}]==]")
    endforeach()
    string(APPEND lines
      "add_test(${test} \"\${_superlink_harness}\" run ${quoted_file} --color never"
      "${quoted_version_args} \${_superlink_target_args})\n"
      # A scenario the target cannot run (failpoints compiled out, ...) prints SKIP (after its
      # progress, [1/1]) and exits 0: ctest counts it as skipped, never passed.
      "set_tests_properties(${test} PROPERTIES LABELS ${quoted_labels} TIMEOUT ${timeout}"
      " SKIP_REGULAR_EXPRESSION [==[(^|\n)(\\[[0-9]+/[0-9]+\\] )?SKIP  ]==])\n"
      "list(APPEND _superlink_tests ${test})\n")
  endforeach()
endif()
file(WRITE "${OUTPUT}"
  "if(_superlink_target)\n  set(_superlink_target_args --target \"\${_superlink_target}\")\n"
  "else()\n  set(_superlink_target_args \"\")\nendif()\n${lines}")
