// `list --format json`: the catalogue as data, for tools that register scenarios elsewhere (the
// CMake function superlink_add_scenarios reads it instead of parsing TOML itself).
#pragma once

#include <string>
#include <vector>

#include "harness/scenario.h"

namespace harness::cli {

// A JSON array, one object per scenario in the given order, then a newline:
// {"name":..., "group":..., "file":..., "labels":[...], "timeout_ms":N, "description":...}
std::string catalogue_json(const std::vector<Scenario>& scenarios);

}  // namespace harness::cli
