// The one posix_spawn wrapper: a program with a clean slate (default signal dispositions, an
// empty signal mask, optionally a process group of its own) and the given standard streams.
// Never forks: safe from a process that runs threads.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace harness {

struct SpawnRequest {
  std::vector<std::string> argv;  // argv[0] is searched in PATH
  char* const* envp = nullptr;    // nullptr: this process's environment
  int stdin_fd = -1;              // -1: this process's (each of the three)
  int stdout_fd = -1;
  int stderr_fd = -1;
  bool own_process_group = true;      // pgid = its pid
  const char* working_dir = nullptr;  // nullptr: this process's
  int fd3 = -1;                       // >= 0: becomes the child's fd 3
};

// The first executable `program` in the folders of $PATH; nullopt when there is none.
std::optional<std::string> find_on_path(std::string_view program);

// The child's pid, or -errno (posix_spawn's error: -ENOENT for a program not found).
pid_t spawn(const SpawnRequest& request);

}  // namespace harness
