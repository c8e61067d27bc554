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
  // The bundled mock (kind mock). Empty: bin/mock-superlink next to the running executable.
  std::string mock_binary;
  // The Flower-like target (kind flower): a real flower-superlink or the persona. Empty:
  // default_flower_binary().
  std::string flower_binary;
  // Which of the two `{target}` names in a command (the run's --target-kind).
  TargetKind target_kind = TargetKind::Mock;
  std::optional<std::uint64_t> seed;  // overrides the scenario's seed
  // Called for every captured line as it arrives (live output for `repro` and `-v`).
  std::function<void(const LogLine&)> on_line;
  std::size_t log_budget_bytes = 4 << 20;  // head + tail kept in memory
  Millis grace{2000};                      // SIGTERM -> SIGKILL on timeout or stop
  // Ready file and journal go here. Empty: a fresh temp dir, removed once the run is over (by
  // the process that keeps the run folders, a moment after run_scenario returns).
  std::string work_dir;
  // Shared by parallel runs: a run takes a slot before it spawns and gives it back once the
  // target is ready or gone, so start-ups (which need the CPU) are bounded by the slots while
  // runs that only wait (for a deadline, a hold, an event) hold none. Null: no bound. The wait
  // for a slot is not part of the run's deadline.
  std::counting_semaphore<>* startup_slots = nullptr;
  // More runs follow in this process: once this run's target is up, the next run's run init is
  // started (prestart_run_init), so that its start-up overlaps this run.
  bool more_runs_follow = false;
};

// Never throws for anything the target does; harness-side failures (cannot spawn, cannot bind an
// occupied port) land in RunResult::harness_error.
RunResult run_scenario(const Scenario& scenario, const RunOptions& options);

// Starts, without waiting for it, what the first run_scenario of this process needs (the
// process that keeps the run folders, the first run's run init): call it early, so that their
// start-up overlaps other work.
void prepare_runs();

}  // namespace harness
