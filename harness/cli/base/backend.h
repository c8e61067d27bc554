// The runner functions the CLI drives. The executable uses the real ones (real_backend.cpp);
// the CLI's own tests substitute their own to exercise argument handling and exit statuses.
#pragma once

#include <filesystem>
#include <functional>
#include <vector>

#include "harness/run.h"
#include "harness/run_result.h"
#include "harness/scenario.h"
#include "harness/verdict.h"

namespace harness::cli {

struct Backend {
  // Throw harness::ScenarioError (or another std::exception) naming the file and position.
  std::function<std::vector<std::filesystem::path>(const std::vector<std::filesystem::path>&)> find;
  std::function<Scenario(const std::filesystem::path&)> load;
  std::function<RunResult(const Scenario&, const RunOptions&)> run;
  std::function<Verdict(const Scenario&, const RunResult&)> judge;
  // Starts what runs need once, without waiting for it (before the catalogue is read); unset:
  // nothing.
  std::function<void()> prepare;
  // Whether a target program can be started (a path, or a name searched in PATH); unset: yes.
  std::function<bool(const std::string&)> runnable;
};

// The process-level facts the CLI reads: environment variables and whether stdout is a terminal.
struct Environment {
  std::function<const char*(const char*)> getenv;
  bool stdout_is_tty = false;
};

}  // namespace harness::cli
