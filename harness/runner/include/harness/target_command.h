// The command line and environment of a scenario's target: what run_scenario spawns, built
// without running it (target_command.cpp).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "harness/run.h"

namespace harness {

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

// The SQLite file of a run with `superlink.database = "file"`: <work_dir>/state.db. The mock
// gets it as --database; outside faults on the database work on it.
std::string database_path(const std::string& work_dir);

// <directory of the running executable>/mock-superlink: the default RunOptions::mock_binary.
std::string default_mock_binary();

}  // namespace harness
