#include "fault_coverage.h"

#include <algorithm>
#include <set>

#include "scenario/scenario_requirements.h"

namespace harness {

FaultCoverage fault_coverage(const std::vector<std::string>& target_sites,
                             const std::vector<Scenario>& scenarios) {
  std::map<std::string, std::set<std::string>> firing;
  for (const Scenario& scenario : scenarios) {
    // A negative scenario's expectations are wrong on purpose: they prove nothing fired.
    if (scenario.negative || !scenario.expect.fired) continue;
    for (const std::string& site : *scenario.expect.fired) {
      firing[site].insert(scenario.group + "/" + scenario.name);
    }
  }
  FaultCoverage coverage;
  const std::set<std::string> known(target_sites.begin(), target_sites.end());
  for (const std::string& site : target_sites) {
    const auto found = firing.find(site);
    std::vector<std::string> names;
    if (found != firing.end()) names.assign(found->second.begin(), found->second.end());
    if (names.empty()) coverage.uncovered.push_back(site);
    coverage.sites.emplace_back(site, std::move(names));
  }
  for (const auto& [site, names] : firing) {
    // Outside faults are the harness's own, never sites of the target.
    if (!known.contains(site) && !is_outside_site(site)) coverage.unknown.push_back(site);
  }
  return coverage;
}

std::vector<std::string> parse_site_list(const std::vector<std::string>& lines) {
  std::vector<std::string> sites;
  for (const std::string& line : lines) {
    const auto begin = line.find_first_not_of(" \t");
    if (begin == std::string::npos) continue;
    const auto end = line.find_first_of(" \t", begin);
    sites.push_back(line.substr(begin, end == std::string::npos ? end : end - begin));
  }
  return sites;
}

}  // namespace harness
