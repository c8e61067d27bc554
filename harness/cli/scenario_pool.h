// Runs scenarios on a small pool of threads. Each scenario's text is printed whole when it ends,
// under one lock, so the output of parallel scenarios never interleaves.
#pragma once

#include <functional>
#include <ostream>
#include <vector>

#include "harness/scenario_outcome.h"

namespace harness::cli {

// `run_one` produces the outcome; `describe` its text (printed to `out` as soon as it is ready).
// Results come back in the order of `scenarios`, whatever order they finished in.
std::vector<ScenarioOutcome> run_pool(
    const std::vector<Scenario>& scenarios, int jobs,
    const std::function<ScenarioOutcome(const Scenario&)>& run_one,
    const std::function<std::string(const ScenarioOutcome&)>& describe, std::ostream& out);

}  // namespace harness::cli
