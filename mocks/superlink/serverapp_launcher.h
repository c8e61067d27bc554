// Starts the ServerApp process for a run: `mock-serverapp --run-once
// --serverappio-api-address ADDR --insecure`, found next to this executable.
#pragma once

#include <sys/types.h>

#include <string>

namespace superlink {

// The path of `name` in the directory of the running executable (/proc/self/exe).
std::string sibling_executable(const std::string& name);

// posix_spawn with the signal mask and dispositions reset (the SuperLink blocks its termination
// signals, and a child must not inherit that). Returns the pid; throws std::system_error.
pid_t spawn_serverapp(const std::string& executable, const std::string& serverappio_address);

}  // namespace superlink
