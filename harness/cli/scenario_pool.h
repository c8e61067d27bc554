// Runs scenarios on a small pool of threads. Each scenario's text is printed whole when it ends,
// under one lock, so the output of parallel scenarios never interleaves.
#pragma once

#include <cstddef>
#include <functional>
#include <ostream>
#include <vector>

#include "harness/scenario_outcome.h"

namespace harness::cli {

// `run` without --jobs. Most of a scenario is deliberate waiting (a hold, a deadline, a delay),
// and start-ups are bounded by the cores apart (startup_slot_count), so many runs can wait at
// once: docs/benchmarks.md has the catalogue's wall time at this default against its longest
// scenario.
constexpr int kDefaultJobs = 32;

// How many targets may start up at once: the cores (at least 1).
std::ptrdiff_t startup_slot_count();

// `run_one` produces the outcome; `describe` its text (printed to `out` as soon as it is ready).
// Scenarios start longest expected first (run_order.h); results come back in the order of
// `scenarios`, whatever order they ran and finished in.
std::vector<ScenarioOutcome> run_pool(
    const std::vector<Scenario>& scenarios, int jobs,
    const std::function<ScenarioOutcome(const Scenario&)>& run_one,
    const std::function<std::string(const ScenarioOutcome&)>& describe, std::ostream& out);

}  // namespace harness::cli
