// build_target_command: the argv and environment of a scenario's target.
#include "harness/target_command.h"

#include <unistd.h>

#include <filesystem>
#include <random>
#include <string_view>
#include <system_error>

#include "superlink_api/fleet_api_names.h"

namespace harness {

namespace {

std::string loopback(const std::map<std::string, int>& occupied, const std::string& name) {
  const auto it = occupied.find(name);
  return "127.0.0.1:" + std::to_string(it == occupied.end() ? 0 : it->second);
}

std::string failpoints_spec(const std::map<std::string, std::string>& failpoints) {
  std::string spec;
  for (const auto& [site, actions] : failpoints) {
    if (!spec.empty()) spec += ';';
    spec += site + '=' + actions;
  }
  return spec;
}

// Whether an action of `actions` rolls a probability ("25%panic"): a '%' outside an argument.
bool rolls_a_probability(std::string_view actions) {
  int depth = 0;
  for (const char c : actions) {
    if (c == '(') ++depth;
    if (c == ')' && depth > 0) --depth;
    if (c == '%' && depth == 0) return true;
  }
  return false;
}

// --seed, else the scenario's, else a fresh one when an armed action rolls a probability: the
// harness picks it so that the printed command reruns the same rolls.
std::optional<std::uint64_t> seed_for(const Scenario& scenario, const RunOptions& options) {
  if (options.seed) return options.seed;
  if (scenario.seed) return scenario.seed;
  for (const auto& [site, actions] : scenario.failpoints) {
    if (!rolls_a_probability(actions)) continue;
    std::random_device entropy;
    return (std::uint64_t{entropy()} << 32) | entropy();
  }
  return std::nullopt;
}

// The Exec API's flag in 1.18, the Control API's from 1.21 (the old one would be warned about).
std::string_view control_api_flag(const std::string& flower_version) {
  const auto* names = superlink_api::find_version(
      flower_version.empty() ? superlink_api::kDefaultVersion : flower_version);
  return names != nullptr ? names->control_api_flag : "--exec-api-address";
}

}  // namespace

std::string default_mock_binary() {
  std::error_code ec;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return "mock-superlink";
  return (self.parent_path() / "mock-superlink").string();
}

TargetCommand build_target_command(const Scenario& scenario, const RunOptions& options,
                                   const std::string& work_dir,
                                   const std::map<std::string, int>& occupied_ports) {
  const TargetSpec& target = scenario.superlink;
  const std::string ready_file = work_dir + "/ready.json";
  const std::string journal = work_dir + "/journal.jsonl";
  TargetCommand command;
  if (target.command.empty()) {
    command.argv = {options.mock_binary.empty() ? default_mock_binary() : options.mock_binary,
                    "--insecure",
                    "--isolation",
                    target.isolation,
                    "--fleet-api-type",
                    target.fleet_api_type,
                    "--fleet-api-address",
                    loopback(occupied_ports, "fleet"),
                    "--serverappio-api-address",
                    loopback(occupied_ports, "serverappio"),
                    std::string(control_api_flag(target.flower_version)),
                    loopback(occupied_ports, "exec"),
                    "--ready-file",
                    ready_file,
                    "--fault-journal",
                    journal};
    if (!target.exit_status.empty()) {
      command.argv.insert(command.argv.end(), {"--exit-status", target.exit_status});
    }
    if (!target.flower_version.empty()) {
      command.argv.insert(command.argv.end(), {"--flower-version", target.flower_version});
    }
    const std::optional<std::uint64_t> seed = seed_for(scenario, options);
    if (seed) command.argv.insert(command.argv.end(), {"--seed", std::to_string(*seed)});
  } else {
    command.argv = target.command;
    command.env["SUPERLINK_READY_FILE"] = ready_file;
    command.env["SUPERLINK_FAULT_JOURNAL"] = journal;
    if (!target.flower_version.empty()) {
      command.env["SUPERLINK_FLOWER_VERSION"] = target.flower_version;
    }
  }
  command.argv.insert(command.argv.end(), target.args.begin(), target.args.end());
  if (!scenario.failpoints.empty())
    command.env["FAILPOINTS"] = failpoints_spec(scenario.failpoints);
  for (const auto& [name, value] : target.env) command.env[name] = value;
  return command;
}

}  // namespace harness
