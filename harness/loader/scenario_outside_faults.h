// Outside faults in scenario files: the [[events]] keys that make the harness damage the run's
// database file, take one of the target's ports or run a command of the user's, and the
// `outside.*` site names they are journalled under (the runtime is outside_faults.h).
#pragma once

#include <toml++/toml.h>

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/scenario.h"
#include "scenario/scenario_requirements.h"
#include "scenario_toml_reader.h"

namespace harness::internal {

inline constexpr std::array<std::string_view, 4> kOutsideKeys = {"database", "occupy", "release",
                                                                 "run"};
inline constexpr std::array<std::string_view, 5> kDatabaseFaults = {"corrupt", "truncate", "lock",
                                                                    "unlock", "remove"};

// Reads the outside fault `key` (one of kOutsideKeys) of an event's `table` into `event`.
void read_outside_fault(const Reader& reader, const toml::table& table, std::string_view key,
                        const std::string& prefix, const TargetSpec& target, Event& event);

// Events run in order: an unlock needs an earlier lock, a release an earlier occupy, and neither
// is taken twice. `nodes` are the [[events]] tables `events` were read from.
void check_outside_order(const Reader& reader, const toml::array& nodes,
                         const std::vector<Event>& events);

// Why `site` (under `outside.`) can never be journalled by `events`, as a clause for "names
// 'SITE', ...": "which is not an outside fault; did you mean ...?" or "which no event of the
// scenario does: it can never fire"; nullopt when an event does it.
std::optional<std::string> outside_site_problem(std::string_view site,
                                                const std::vector<Event>& events);

}  // namespace harness::internal
