// The command line and environment of a scenario's target: what run_scenario spawns, built
// without running it (target_command.cpp).
#pragma once

#include <array>
#include <map>
#include <string>
#include <vector>

#include "default_binaries.h"
#include "harness/run.h"

namespace harness {

// The APIs every run gets an allocated port for (a scenario with control events also gets
// "control"): the names of `ports` below, of the `{API_address}` substitutions and of the
// SUPERLINK_<API>_ADDRESS variables.
inline constexpr std::array<const char*, 4> kRunApis = {"fleet", "serverappio", "exec",
                                                        "simulationio"};

// The argv and added environment a scenario's target gets (what run_scenario spawns), without
// running it. `ports` are the run's allocated ports by API name (fleet, serverappio, exec,
// simulationio).
struct TargetCommand {
  std::vector<std::string> argv;
  std::map<std::string, std::string> env;
};

// Kind mock: the mock binary, --insecure, --isolation, --fleet-api-type, the three API addresses
// on 127.0.0.1 with the allocated ports, --ready-file <work_dir>/ready.json, --fault-journal
// <work_dir>/journal.jsonl, --exit-status when set, --seed (RunOptions', else the scenario's,
// else one the harness picks when an armed action has a probability, so the argv reruns the
// same rolls), then the scenario's args.
// Kind flower: the Flower-like binary with Flower's flags only (the same addresses); the ready
// file, journal and seed go in SUPERLINK_READY_FILE, SUPERLINK_FAULT_JOURNAL, SUPERLINK_SEED.
// Kind command: the command with its substitutions filled in, the same three variables and
// SUPERLINK_<API>_ADDRESS, SUPERLINK_DATABASE, SUPERLINK_WORK_DIR, SUPERLINK_TARGET.
// All get FAILPOINTS ("site=actions;..." in the map's order) when failpoints are armed, and the
// scenario's env (substituted).
TargetCommand build_target_command(const Scenario& scenario, const RunOptions& options,
                                   const std::string& work_dir,
                                   const std::map<std::string, int>& ports);

// What each `{name}` of the scenario's command, args and env becomes in this run.
std::map<std::string, std::string> substitution_values(const Scenario& scenario,
                                                       const RunOptions& options,
                                                       const std::string& work_dir,
                                                       const std::map<std::string, int>& ports);

// Whether the scenario has control events (arm, disarm, wait_paused, resume): its run gets a
// "control" port and the target serves failpoint control there.
bool uses_failpoint_control(const Scenario& scenario);

// <work_dir>/state.db: the run's SQLite file, `{database}`; with `superlink.database = "file"`
// the mock and a Flower-like target get it as --database, and outside faults work on it.
std::string database_path(const std::string& work_dir);

}  // namespace harness
