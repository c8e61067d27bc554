// The --filter rule that select_scenarios (harness/scenario_set.h) applies to each scenario.
#pragma once

#include <string>
#include <vector>

#include "harness/scenario.h"

namespace harness {

// True when `globs` is empty or one glob (fnmatch, `*` crosses `/`) matches the qualified name or
// the bare name.
bool matches_filter(const Scenario& scenario, const std::vector<std::string>& globs);

}  // namespace harness
