// Starts the ServerApp process for a run: `mock-serverapp --run-once
// --serverappio-api-address ADDR --insecure`, found next to this executable.
#pragma once

#include <sys/types.h>

#include <string>

namespace superlink {

// The path of `name` in the directory of the running executable (/proc/self/exe).
std::string sibling_executable(const std::string& name);

// flower-superexec: beside this executable (a build tree), else where an installation keeps it,
// beside the persona (SUPERLINK_BIN_TO_PERSONA from the binary's folder), never in bin/ where it
// would shadow a real Flower's.
std::string superexec_executable();

// posix_spawn with the signal mask and dispositions reset (the SuperLink blocks its termination
// signals, and a child must not inherit that). Returns the pid; throws std::system_error.
pid_t spawn_serverapp(const std::string& executable, const std::string& serverappio_address);

}  // namespace superlink
