// JUnit XML for CI systems: one <testsuite> per group (folder), one <testcase> per scenario run.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "harness/scenario.h"
#include "verdict/scenario_outcome.h"

namespace harness {

// The whole document, in the attributes Jenkins' JUnit schema knows. A testcase is named after
// the scenario ("name #N" for each run when one scenario ran more than once, as with --repeat),
// its classname is junit_class; a failure carries the headline as its message and the full text
// report as its body; a harness error is an <error>; <system-out> and <system-err> hold the last
// `log_tail_lines` lines of the target's stdout and stderr.
std::string junit_report(const std::vector<ScenarioOutcome>& outcomes,
                         std::size_t log_tail_lines = 40);

}  // namespace harness
