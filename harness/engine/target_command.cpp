// build_target_command: the argv and environment of a scenario's target.
#include "target_command.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <random>
#include <string_view>
#include <system_error>

#include "flower_api/fleet_api_names.h"
#include "loader/substitutions.h"

namespace harness {

namespace {

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

// --seed, else the scenario's, else a fresh one when an armed action rolls a probability or the
// command asks for `{seed}`: the harness picks it so that the printed command reruns the same.
std::optional<std::uint64_t> seed_for(const Scenario& scenario, const RunOptions& options) {
  if (options.seed) return options.seed;
  if (scenario.seed) return scenario.seed;
  bool needs_one = false;
  for (const auto& [site, actions] : scenario.failpoints) {
    needs_one = needs_one || rolls_a_probability(actions);
  }
  // A command that passes `{seed}` on gets one too.
  const TargetSpec& target = scenario.superlink;
  for (const auto* list : {&target.command, &target.args}) {
    for (const std::string& arg : *list) needs_one = needs_one || uses_substitution(arg, "seed");
  }
  for (const auto& [name, value] : target.env) {
    needs_one = needs_one || uses_substitution(value, "seed");
  }
  if (!needs_one) return std::nullopt;
  std::random_device entropy;
  return (std::uint64_t{entropy()} << 32) | entropy();
}

std::filesystem::path own_folder() {
  std::error_code ec;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::filesystem::path() : self.parent_path();
}

std::string address_of(const std::map<std::string, int>& ports, const std::string& name) {
  const auto it = ports.find(name);
  return "127.0.0.1:" + std::to_string(it == ports.end() ? 0 : it->second);
}

// The binary of a `kind` target: the run's --target for that kind, else the bundled one.
std::string binary_for(TargetKind kind, const RunOptions& options) {
  if (kind == TargetKind::Flower) {
    return options.flower_binary.empty() ? default_flower_binary() : options.flower_binary;
  }
  return options.mock_binary.empty() ? default_mock_binary() : options.mock_binary;
}

// Where the target serves failpoint control: only for a scenario with control events (the argv
// of every other run stays as it was, and no run opens an endpoint it does not use), on the
// port allocated for "control".
std::optional<std::string> failpoint_control_address(const Scenario& scenario,
                                                     const std::map<std::string, int>& ports) {
  if (!uses_failpoint_control(scenario)) return std::nullopt;
  return address_of(ports, "control");
}

// The Exec API's flag in 1.18, the Control API's from 1.21 (the old one would be warned about).
std::string_view control_api_flag(const std::string& flower_version) {
  const auto* names = superlink_api::find_version(
      flower_version.empty() ? superlink_api::kDefaultVersion : flower_version);
  return names != nullptr ? names->control_api_flag : "--exec-api-address";
}

}  // namespace

std::string default_mock_binary() {
  const std::filesystem::path folder = own_folder();
  return folder.empty() ? "mock-superlink" : (folder / "mock-superlink").string();
}

std::string default_flower_binary() {
  const std::filesystem::path folder = own_folder();
  if (folder.empty()) return "flower-superlink";
  // A build tree has it beside the harness; an install keeps it in a folder of its own so that
  // it never shadows a real Flower on PATH.
  const std::filesystem::path beside = folder / "flower-superlink";
  const std::filesystem::path installed =
      folder.parent_path() / "libexec/superlink-harness/flower/flower-superlink";
  std::error_code ec;
  if (!std::filesystem::exists(beside, ec) && std::filesystem::exists(installed, ec)) {
    return installed.string();
  }
  return beside.string();
}

bool uses_failpoint_control(const Scenario& scenario) {
  return std::any_of(scenario.events.begin(), scenario.events.end(),
                     [](const Event& event) { return event.as<FailpointControl>() != nullptr; });
}

std::string database_path(const std::string& work_dir) {
  return work_dir + "/state.db";
}

std::map<std::string, std::string> substitution_values(const Scenario& scenario,
                                                       const RunOptions& options,
                                                       const std::string& work_dir,
                                                       const std::map<std::string, int>& ports) {
  std::map<std::string, std::string> values;
  for (const char* api : kRunApis) {
    const std::string name(api);
    values[name + "_address"] = address_of(ports, name);
    const auto port = ports.find(name);
    values[name + "_port"] = std::to_string(port == ports.end() ? 0 : port->second);
  }
  values["database"] = database_path(work_dir);
  values["work_dir"] = work_dir;
  values["ready_file"] = work_dir + "/ready.json";
  values["journal"] = work_dir + "/journal.jsonl";
  if (const auto seed = seed_for(scenario, options)) values["seed"] = std::to_string(*seed);
  values["target"] = binary_for(options.target_kind, options);
  return values;
}

TargetCommand build_target_command(const Scenario& scenario, const RunOptions& options,
                                   const std::string& work_dir,
                                   const std::map<std::string, int>& ports) {
  const TargetSpec& target = scenario.superlink;
  const TargetKind kind = kind_of(target);
  const auto values = substitution_values(scenario, options, work_dir, ports);
  TargetCommand command;
  if (kind == TargetKind::Command) {
    for (const std::string& arg : target.command) command.argv.push_back(substitute(arg, values));
  } else {
    command.argv = {binary_for(kind, options),
                    "--insecure",
                    "--isolation",
                    target.isolation,
                    "--fleet-api-type",
                    target.fleet_api_type,
                    "--fleet-api-address",
                    values.at("fleet_address"),
                    "--serverappio-api-address",
                    values.at("serverappio_address"),
                    std::string(control_api_flag(target.flower_version)),
                    values.at("exec_address")};
    if (target.database == "file") {
      command.argv.insert(command.argv.end(), {"--database", values.at("database")});
    }
  }
  if (kind == TargetKind::Mock) {
    // The mock's own flags; a Flower-like target gets the same through the environment.
    command.argv.insert(command.argv.end(), {"--ready-file", values.at("ready_file"),
                                             "--fault-journal", values.at("journal")});
    if (!target.exit_status.empty()) {
      command.argv.insert(command.argv.end(), {"--exit-status", target.exit_status});
    }
    if (!target.flower_version.empty()) {
      command.argv.insert(command.argv.end(), {"--flower-version", target.flower_version});
    }
    if (values.contains("seed")) {
      command.argv.insert(command.argv.end(), {"--seed", values.at("seed")});
    }
    if (const auto control = failpoint_control_address(scenario, ports)) {
      command.argv.insert(command.argv.end(), {"--failpoint-control", *control});
    }
  } else {
    command.env["SUPERLINK_READY_FILE"] = values.at("ready_file");
    command.env["SUPERLINK_FAULT_JOURNAL"] = values.at("journal");
    if (values.contains("seed")) command.env["SUPERLINK_SEED"] = values.at("seed");
    if (const auto control = failpoint_control_address(scenario, ports)) {
      command.env["SUPERLINK_FAILPOINT_CONTROL"] = *control;
    }
    if (!target.flower_version.empty()) {
      command.env["SUPERLINK_FLOWER_VERSION"] = target.flower_version;
    }
  }
  if (kind == TargetKind::Command) {
    // What a launcher needs to start a SuperLink on the run's ports.
    for (const char* api : kRunApis) {
      std::string upper(api);
      for (char& c : upper) c = static_cast<char>(c - 'a' + 'A');
      command.env["SUPERLINK_" + upper + "_ADDRESS"] = values.at(std::string(api) + "_address");
    }
    command.env["SUPERLINK_DATABASE"] = values.at("database");
    command.env["SUPERLINK_WORK_DIR"] = work_dir;
    command.env["SUPERLINK_TARGET"] = values.at("target");
  }
  for (const std::string& arg : target.args) command.argv.push_back(substitute(arg, values));
  if (!scenario.failpoints.empty())
    command.env["FAILPOINTS"] = failpoints_spec(scenario.failpoints);
  for (const auto& [name, value] : target.env) command.env[name] = substitute(value, values);
  return command;
}

}  // namespace harness
