// Runs scenarios on a small pool of threads. Each scenario's text is printed whole when it ends,
// under one lock, so the output of parallel scenarios never interleaves.
#pragma once

#include <cstddef>
#include <functional>
#include <ostream>
#include <vector>

#include "verdict/scenario_outcome.h"

namespace harness::cli {

// `run` without --jobs. Most of a scenario is deliberate waiting (a hold, a deadline, a delay),
// and start-ups are bounded by the cores apart (startup_slot_count), so many runs can wait at
// once: docs/benchmarks.md has the catalogue's wall time at this default against its longest
// scenario.
constexpr int kDefaultJobs = 32;

// How many targets may start up at once: the cores (at least 1).
std::ptrdiff_t startup_slot_count();

// How far a run of the pool has come, as ctest shows it: the text of the run that ended
// `done_before + k`-th is printed after "[done_before + k/total] ".
struct Progress {
  std::size_t done_before = 0;
  std::size_t total = 0;
};

// `run_one` produces the outcome; `describe` its text (printed to `out` as soon as it is ready,
// after its place in the order of ends, Progress). Scenarios start longest expected first
// (run_order.h); results come back in the order of `scenarios`, whatever order they ran and
// finished in.
std::vector<ScenarioOutcome> run_pool(
    const std::vector<Scenario>& scenarios, int jobs,
    const std::function<ScenarioOutcome(const Scenario&)>& run_one,
    const std::function<std::string(const ScenarioOutcome&)>& describe, std::ostream& out,
    Progress progress = {});

}  // namespace harness::cli
