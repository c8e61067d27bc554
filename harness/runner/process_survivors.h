// Test helper: processes a test left behind, found in /proc.
#pragma once

#include <sys/types.h>

#include <set>
#include <string>
#include <vector>

namespace harness {

// Processes (zombies included) whose parent is this process or whose process group is one of
// `groups`, as "pid 123 (sleep)".
std::vector<std::string> process_survivors(const std::set<pid_t>& groups);

}  // namespace harness
