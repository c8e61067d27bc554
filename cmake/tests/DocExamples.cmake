# cmake -DHARNESS=<superlink-harness> -DDOC=<docs/scenario-format.md> -DWORK=<scratch folder>
#       -P DocExamples.cmake
#
# The complete scenarios docs/scenario-format.md shows (its ```toml blocks that start with
# `description =`) must pass `check` and `run` as they are written: a page that teaches
# scenarios must not teach one the harness refuses.
cmake_minimum_required(VERSION 3.25)  # while() and if() as today's CMake reads them
foreach(var IN ITEMS HARNESS DOC WORK)
  if(NOT ${var})
    message(FATAL_ERROR "DocExamples.cmake: ${var} is not set")
  endif()
endforeach()
file(READ "${DOC}" text)
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}/examples")
# Block by block with string(FIND): a list would split the scenarios at their semicolons.
set(count 0)
set(rest "${text}")
while(TRUE)
  string(FIND "${rest}" "```toml\n" start)
  if(start EQUAL -1)
    break()
  endif()
  math(EXPR start "${start} + 8")
  string(SUBSTRING "${rest}" ${start} -1 rest)
  string(FIND "${rest}" "```" end)
  string(SUBSTRING "${rest}" 0 ${end} block)
  string(SUBSTRING "${rest}" ${end} -1 rest)
  string(SUBSTRING "${rest}" 3 -1 rest)
  if(NOT block MATCHES "^description = ")
    continue()
  endif()
  math(EXPR count "${count} + 1")
  file(WRITE "${WORK}/examples/example_${count}.toml" "${block}")
endwhile()
if(count LESS 2)
  message(FATAL_ERROR "DocExamples.cmake: found ${count} complete examples in ${DOC}")
endif()
foreach(command IN ITEMS check run)
  execute_process(COMMAND "${HARNESS}" ${command} "${WORK}/examples" --color never
    RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "`superlink-harness ${command}` refuses the examples of ${DOC} "
                        "(${status}):\n${out}${err}")
  endif()
endforeach()
message(STATUS "${count} examples of ${DOC} pass check and run")
