// JUnit XML for CI systems: one <testsuite> per group (folder), one <testcase> per scenario run.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "harness/scenario.h"
#include "harness/scenario_outcome.h"

namespace harness {

// `text` escaped for XML character data and attribute values: & < > " ' as entities, control
// characters other than tab, newline and carriage return removed, invalid UTF-8 as U+FFFD.
std::string xml_escape(std::string_view text);

// The JUnit classname (and testsuite name) of a scenario: the name of the folder that holds its
// file, however the path was typed ("scenarios", "./scenarios/", absolute); the group, or
// "superlink-harness", for a scenario without a file.
std::string junit_class(const Scenario& scenario);

// The whole document, in the attributes Jenkins' JUnit schema knows. A testcase is named after
// the scenario ("name #N" for each run when one scenario ran more than once, as with --repeat),
// its classname is junit_class; a failure carries the headline as its message and the full text
// report as its body; a harness error is an <error>; <system-out> and <system-err> hold the last
// `log_tail_lines` lines of the target's stdout and stderr.
std::string junit_report(const std::vector<ScenarioOutcome>& outcomes,
                         std::size_t log_tail_lines = 40);

}  // namespace harness
