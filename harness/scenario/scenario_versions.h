// Which Flower versions a scenario's promise holds for, and what a run for one version needs
// (docs/scenario-format.md, `versions` and `superlink.flower_version`). The versions are those of
// superlink_api/fleet_api_names.h, the list the mock imitates.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/scenario.h"

namespace harness {

// "1.18", "1.26": every version the bundled mock imitates, oldest first.
std::vector<std::string> known_flower_versions();
bool is_known_flower_version(std::string_view version);

// The version a run of `scenario` imitates: superlink.flower_version, else the default (1.18).
std::string effective_flower_version(const Scenario& scenario);

// Whether the promise holds for `version`: `versions` names it, or is empty (every version).
bool holds_for(const Scenario& scenario, std::string_view version);

// The versions the scenario may run as: its pinned flower_version, else its `versions`, else
// every known one.
std::vector<std::string> possible_flower_versions(const Scenario& scenario);

// Why `scenario` does not run for `version` (empty `version`: the scenario's own), as a skip
// reason; nullopt when it runs.
std::optional<std::string> version_skip_reason(const Scenario& scenario, std::string_view version);

}  // namespace harness
