// Fault coverage: which failpoint sites of a target the catalogue proves it can fire. A site
// counts as covered when a scenario that is not negative lists it in `expect.fired`: that
// scenario only passes when the journal shows the site firing.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "harness/scenario.h"

namespace harness {

struct FaultCoverage {
  // Every site of the target, in the target's order, with the scenarios that fire it
  // ("group/name"), sorted.
  std::vector<std::pair<std::string, std::vector<std::string>>> sites;
  std::vector<std::string> uncovered;  // sites no scenario fires, in the target's order
  std::vector<std::string> unknown;    // sites scenarios expect to fire that the target lacks
};

FaultCoverage fault_coverage(const std::vector<std::string>& target_sites,
                             const std::vector<Scenario>& scenarios);

// The site names in `--list-failpoints` output: the first word of each non-empty line.
std::vector<std::string> parse_site_list(const std::vector<std::string>& lines);

}  // namespace harness
