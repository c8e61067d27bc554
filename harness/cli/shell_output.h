// A shell command's exit status and its stdout and stderr together: how the tests of the real
// executables (cli_executable_test, off_build_test) run them.
#pragma once

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

namespace harness::cli {

struct ShellResult {
  int status = -1;     // the exit status; -1 when the command did not exit (or could not start)
  std::string output;  // stdout and stderr together
};

inline ShellResult run_shell(const std::string& command) {
  ShellResult r;
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return r;
  std::array<char, 4096> buf{};
  std::size_t n = 0;
  while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0) r.output.append(buf.data(), n);
  const int raw = ::pclose(pipe);
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  return r;
}

}  // namespace harness::cli
