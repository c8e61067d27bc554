// The order `run` starts scenarios in: longest expected first (longest-processing-time
// scheduling), so that the longest ones overlap the many short ones instead of starting last
// and stretching the catalogue's wall time.
#pragma once

#include <cstddef>
#include <vector>

#include "harness/scenario.h"

namespace harness::cli {

// How long `scenario` waits on purpose, from what it declares (no run needed): the latest event
// delay (plus SQLite's 5 s busy timeout after a `database = "lock"` event); the mock's scheduler
// ticks (100 ms each) counted before a `scheduler.tick` fault acts, plus the `sleep(N)`/`delay(N)`
// of its actions; the hold of a `still_running` scenario; the whole timeout of one that can only
// end there (a `pause` that is never released, the target not expected to stay up). Start-up is
// left out: every run pays it alike.
Millis expected_wait(const Scenario& scenario);

// Indices into `scenarios`, longest expected_wait first; equal ones keep their order.
std::vector<std::size_t> longest_first(const std::vector<Scenario>& scenarios);

}  // namespace harness::cli
