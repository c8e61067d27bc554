// Test-only: runs a program with posix_spawn, its stderr on a pipe, and waits on events (a line
// on stderr, a file appearing, the exit) without sleeping: poll(2) on the pipe, an inotify
// descriptor and a pidfd, with a timeout only as a safety net.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

#include "unique_fd.h"

namespace superlink::test_support {

struct ExitInfo {
  bool exited = false;  // else killed by `signal`
  int status = 0;
  int signal = 0;
};

class SpawnedProcess {
 public:
  // `env` entries ("NAME=value") are added to the current environment.
  SpawnedProcess(const std::vector<std::string>& argv, const std::vector<std::string>& env = {});
  ~SpawnedProcess();  // kills the process if it still runs
  SpawnedProcess(const SpawnedProcess&) = delete;
  SpawnedProcess& operator=(const SpawnedProcess&) = delete;

  pid_t pid() const { return pid_; }
  // True once `path` exists (moved or written into its directory); false when the process
  // exited first or the timeout passed.
  bool wait_for_file(const std::string& path, std::chrono::milliseconds timeout);
  // Reads stderr until `text` has appeared `count` times; false on exit or timeout.
  bool wait_for_stderr(const std::string& text, int count, std::chrono::milliseconds timeout);
  // Reads stderr until it ends (the process and its children closed it), then reaps.
  ExitInfo wait_exit(std::chrono::milliseconds timeout);
  // Reads whatever stderr holds now, without waiting: a test that drives the process for long
  // calls it so the process never blocks on a full pipe.
  void drain_stderr();
  const std::string& stderr_text() const { return stderr_; }

 private:
  void read_available();
  pid_t pid_ = -1;
  harness::UniqueFd stderr_fd_;
  harness::UniqueFd pidfd_;
  bool reaped_ = false;
  std::string stderr_;
};

// Reads a whole file; empty when it does not exist.
std::string read_file(const std::string& path);

}  // namespace superlink::test_support
