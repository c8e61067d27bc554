// Starting a target: posix_spawn into a process group of its own, stdin from /dev/null, stdout
// and stderr through pipes, a clean signal mask, and a pidfd to wait on.
#pragma once

#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

namespace harness {

// File descriptors owned by the caller (all close-on-exec).
struct SpawnedProcess {
  pid_t pid = 0;
  int pidfd = -1;
  int stdout_fd = -1;  // read ends
  int stderr_fd = -1;
};

// argv[0] is searched in PATH. `env` is added to (or replaces in) the harness's environment;
// an inherited FAILPOINTS is dropped unless `env` sets it, so a developer's shell cannot arm the
// target by accident. The group is registered for the signal cleanup (process_group.h).
// Throws std::runtime_error: "cannot start 'nosuchbin': No such file or directory".
SpawnedProcess spawn_process(const std::vector<std::string>& argv,
                             const std::map<std::string, std::string>& env);

}  // namespace harness
