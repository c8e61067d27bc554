// JUnit XML for CI systems: one <testsuite> per group (folder), one <testcase> per scenario run.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "harness/scenario_outcome.h"

namespace harness {

// `text` escaped for XML character data and attribute values: & < > " ' as entities, control
// characters other than tab, newline and carriage return removed, invalid UTF-8 as U+FFFD.
std::string xml_escape(std::string_view text);

// The whole document. A testcase is named after the scenario, its classname is the group; a
// failure carries the headline as its message and the full text report as its body; a harness
// error is an <error>; <system-err> holds the last `log_tail_lines` lines of the captured log.
std::string junit_report(const std::vector<ScenarioOutcome>& outcomes,
                         std::size_t log_tail_lines = 40);

}  // namespace harness
