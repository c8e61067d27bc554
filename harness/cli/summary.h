// The end of `run`: a table of every run, the slowest ten, a recap of the runs that did not pass
// (each with its first failure and the command that reruns it), and "N passed, M failed".
#pragma once

#include <string>
#include <vector>

#include "harness/scenario_outcome.h"

namespace harness::cli {

// Lines, each ending in '\n'. The last line is exactly "N passed, M failed" (harness errors count
// as failed and are also named on the line before).
std::string summary_text(const std::vector<ScenarioOutcome>& outcomes);

}  // namespace harness::cli
