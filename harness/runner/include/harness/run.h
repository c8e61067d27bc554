// Running one scenario: spawn the target, inject the outside faults and events, watch it until
// it ends (or the deadline), and collect everything the verdict needs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <semaphore>
#include <string>
#include <vector>

#include "harness/run_result.h"
#include "harness/scenario.h"

namespace harness {

struct RunOptions {
  // The bundled mock (used when the scenario has no `command`). Empty: bin/mock-superlink next to
  // the running executable.
  std::string mock_binary;
  std::optional<std::uint64_t> seed;  // overrides the scenario's seed
  // Called for every captured line as it arrives (live output for `repro` and `-v`).
  std::function<void(const LogLine&)> on_line;
  std::size_t log_budget_bytes = 4 << 20;  // head + tail kept in memory
  Millis grace{2000};                      // SIGTERM -> SIGKILL on timeout or stop
  std::string work_dir;  // ready file and journal go here; empty: a fresh temp dir, removed after
  // Shared by parallel runs: a run takes a slot before it spawns and gives it back once the
  // target is ready or gone, so start-ups (which need the CPU) are bounded by the slots while
  // runs that only wait (for a deadline, a hold, an event) hold none. Null: no bound. The wait
  // for a slot is not part of the run's deadline.
  std::counting_semaphore<>* startup_slots = nullptr;
};

// Never throws for anything the target does; harness-side failures (cannot spawn, cannot bind an
// occupied port) land in RunResult::harness_error.
RunResult run_scenario(const Scenario& scenario, const RunOptions& options);

// The argv and added environment a scenario's target gets (what run_scenario spawns), without
// running it. Ports for occupied addresses are filled in by run_scenario.
struct TargetCommand {
  std::vector<std::string> argv;
  std::map<std::string, std::string> env;
};

// The mock gets --insecure, --isolation, --fleet-api-type, the three addresses on 127.0.0.1
// (port 0, or the port from `occupied_ports` for an occupied name), --ready-file
// <work_dir>/ready.json, --fault-journal <work_dir>/journal.jsonl, --exit-status when set,
// --seed (RunOptions', else the scenario's, else one the harness picks when an armed action has
// a probability, so the argv reruns the same rolls), then the scenario's args. A custom `command` gets command + args, and the two paths in
// the environment: SUPERLINK_READY_FILE and SUPERLINK_FAULT_JOURNAL. Both get FAILPOINTS
// ("site=actions;..." in the map's order) when failpoints are armed, and the scenario's env.
TargetCommand build_target_command(const Scenario& scenario, const RunOptions& options,
                                   const std::string& work_dir,
                                   const std::map<std::string, int>& occupied_ports);

// <directory of the running executable>/mock-superlink: the default RunOptions::mock_binary.
std::string default_mock_binary();

// Makes SIGINT and SIGTERM to the harness kill (SIGKILL) every process group run_scenario has
// started and not yet cleaned up, and every other descendant (grandchildren in sessions of their
// own included, which the harness inherits as a child subreaper), then end the harness by the
// same signal. Process-wide; calling it again does nothing. run_scenario calls it itself.
void install_cleanup_on_signal();

}  // namespace harness
