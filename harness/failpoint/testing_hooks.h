// Private to the failpoint runtime and its tests: ways to wait for what a site does, so that a
// test synchronises with the event itself and never sleeps.
#pragma once

#include <chrono>
#include <cstddef>

namespace failpoint::internal {

// Threads blocked in a `pause` task right now.
std::size_t paused_threads();
// Blocks until at least `n` threads are blocked in `pause`; false when `timeout` passed first.
bool wait_until_paused(std::size_t n, std::chrono::milliseconds timeout);

}  // namespace failpoint::internal
