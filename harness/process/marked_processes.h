// For tests: the processes that carry a marker in their environment (every process a run starts
// inherits the harness's environment), found in /proc. A test sets a marker unique to itself,
// runs the harness, and asserts that nothing marked is left alive.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace harness {

// Live processes (zombies excluded) other than this one whose environment holds `entry`
// ("NAME=VALUE"), each given up to `grace` in all to end (waited for on a pidfd: a process killed
// a moment ago may still be on its way out). Returns those still alive, as "pid 123 (sleep)".
std::vector<std::string> marked_survivors(std::string_view entry, std::chrono::milliseconds grace);

}  // namespace harness
