// The pieces of the JUnit report pinned by its tests: escaping and the classname rule.
#pragma once

#include <string>
#include <string_view>

#include "harness/scenario.h"

namespace harness {

// `text` escaped for XML character data and attribute values: & < > " ' as entities, control
// characters other than tab, newline and carriage return removed, invalid UTF-8 as U+FFFD.
std::string xml_escape(std::string_view text);

// The JUnit classname (and testsuite name) of a scenario: the name of the folder that holds its
// file, however the path was typed ("scenarios", "./scenarios/", absolute); the group, or
// "superlink-harness", for a scenario without a file.
std::string junit_class(const Scenario& scenario);

}  // namespace harness
