#include "scenario_versions.h"

#include <algorithm>

#include "flower_api/fleet_api_names.h"

namespace harness {

std::vector<std::string> known_flower_versions() {
  std::vector<std::string> versions;
  for (const auto& names : superlink_api::kVersions) versions.emplace_back(names.version);
  return versions;
}

bool is_known_flower_version(std::string_view version) {
  return superlink_api::find_version(version) != nullptr;
}

std::string effective_flower_version(const Scenario& scenario) {
  return scenario.superlink.flower_version.empty() ? std::string(superlink_api::kDefaultVersion)
                                                   : scenario.superlink.flower_version;
}

bool holds_for(const Scenario& scenario, std::string_view version) {
  const auto& v = scenario.versions;
  return v.empty() || std::find(v.begin(), v.end(), version) != v.end();
}

std::vector<std::string> possible_flower_versions(const Scenario& scenario) {
  if (!scenario.superlink.flower_version.empty()) return {scenario.superlink.flower_version};
  if (!scenario.versions.empty()) return scenario.versions;
  return known_flower_versions();
}

std::optional<std::string> version_skip_reason(const Scenario& scenario, std::string_view version) {
  const std::string run =
      version.empty() ? effective_flower_version(scenario) : std::string(version);
  if (!scenario.superlink.flower_version.empty() && scenario.superlink.flower_version != run) {
    return "pinned to Flower " + scenario.superlink.flower_version +
           " (superlink.flower_version); "
           "this run is for " +
           run;
  }
  if (holds_for(scenario, run)) return std::nullopt;
  std::string listed;
  for (const auto& v : scenario.versions) listed += (listed.empty() ? "" : ", ") + v;
  return "its promise holds for Flower " + listed + " only (versions); this run is for " + run;
}

}  // namespace harness
