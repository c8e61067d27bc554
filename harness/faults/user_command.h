// `run = [...]` events: a command of the user's, run to completion beside the target, bounded
// by the run's deadline, with nothing of it left running afterwards.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace harness {

struct CommandResult {
  std::optional<int> spawn_error;  // errno of posix_spawn (ENOENT: not found); nothing ran
  int wait_status = 0;             // waitpid(2)'s status
  bool stopped = false;            // killed by the harness: the deadline passed or the run ended
  std::string output;              // stdout and stderr, interleaved, at most the limit
  bool output_cut = false;         // there was more

  // "exited with status 0", "killed by SIGTERM", "not started: ...", "stopped at the run's end".
  std::string describe() const;
  bool succeeded() const;  // exited with status 0
};

// Runs `argv` (argv[0] searched in PATH) in `working_dir` with the harness's environment plus
// `env`, stdin from /dev/null, in a process group of its own, until it exits, `deadline`
// passes or `cancel_fd` becomes readable (then the group is killed). When the command exits,
// whatever it left in its process group is killed too. `on_started` runs once it is spawned.
CommandResult run_command(const std::vector<std::string>& argv,
                          const std::map<std::string, std::string>& env,
                          const std::string& working_dir,
                          std::chrono::steady_clock::time_point deadline, int cancel_fd,
                          std::size_t output_limit,
                          const std::function<void()>& on_started = nullptr);

}  // namespace harness
