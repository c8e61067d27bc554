#include "site_check.h"

#include <algorithm>
#include <map>

#include "cli/base/nearest.h"
#include "cli/target_program/target_choice.h"
#include "scenario/scenario_requirements.h"
#include "scenario/scenario_versions.h"

namespace harness::cli {
namespace {

using SiteLists = std::map<std::string, std::vector<std::string>>;  // version -> sites

bool has(const std::vector<std::string>& sites, const std::string& site) {
  return std::find(sites.begin(), sites.end(), site) != sites.end();
}

std::string joined(const std::vector<std::string>& words, const std::string& quote = "") {
  std::string text;
  for (const std::string& word : words) {
    text += (text.empty() ? "" : ", ") + quote + word + quote;
  }
  return text;
}

std::string where(const Scenario& scenario, const std::string& site) {
  const auto it = scenario.site_positions.find(site);
  if (it == scenario.site_positions.end()) return scenario.file + ": ";
  return scenario.file + ":" + std::to_string(it->second.first) + ":" +
         std::to_string(it->second.second) + ": ";
}

// The versions that have `site`.
std::vector<std::string> versions_with(const SiteLists& lists, const std::string& site) {
  std::vector<std::string> out;
  for (const auto& [version, sites] : lists) {
    if (has(sites, site)) out.push_back(version);
  }
  return out;
}

struct Armed {
  std::vector<std::string> sites;  // armed, outside ones left out
  SiteLists lists;                 // every known version's sites (none: nothing to judge)
};

// The armed sites and the target's sites as the versions `first` names, and as every other
// version only when one of those lacks an armed site (a typo, or a site of another version):
// the target is asked no more than the verdict needs (each listing is a start of the target
// unless it is kept, target_sites.h).
std::optional<Armed> armed_and_listed(const Scenario& scenario, const Request& request,
                                      TargetSites& sites, std::ostream& err, bool& unlisted,
                                      const std::vector<std::string>& first) {
  const TargetKind kind = kind_of(scenario.superlink);
  if (kind == TargetKind::Command || scenario.expect.exit_code == 104) return std::nullopt;
  if (kind == TargetKind::Mock && request.target_kind_flower) return std::nullopt;
  Armed armed;
  armed.sites = armed_sites(scenario);
  std::erase_if(armed.sites, is_outside_site);
  if (armed.sites.empty()) return std::nullopt;
  const auto list = [&](const std::string& version) {
    const auto& listed = sites.of(target_binary(request, kind), err, kind, version);
    if (!listed) unlisted = true;
    if (listed) armed.lists[version] = *listed;
    return listed.has_value();
  };
  bool any = false;
  bool all_there = true;
  for (const std::string& version : first) {
    if (!list(version)) return std::nullopt;
    any = any || !armed.lists[version].empty();
    for (const std::string& site : armed.sites)
      all_there = all_there && has(armed.lists[version], site);
  }
  if (!first.empty() && !any) return std::nullopt;  // an off build, or not the mock: `run` skips
  if (first.empty() || !all_there) {
    for (const std::string& version : known_flower_versions()) {
      if (!armed.lists.contains(version) && !list(version)) return std::nullopt;
      any = any || !armed.lists[version].empty();
    }
  }
  if (!any) return std::nullopt;
  return armed;
}

// A site no version has: a typo, named with the nearest site.
std::optional<std::string> unknown_site(const Scenario& scenario, const Armed& armed,
                                        const std::string& site) {
  if (!versions_with(armed.lists, site).empty()) return std::nullopt;  // (all listed then)
  std::vector<std::string> all;
  for (const auto& [version, sites] : armed.lists) {
    for (const std::string& s : sites) {
      if (!has(all, s)) all.push_back(s);
    }
  }
  return where(scenario, site) + "unknown failpoint site '" + site +
         "': the target has no such site as any Flower version (" +
         joined(known_flower_versions()) + "); did you mean '" + nearest(site, all) + "'?";
}

std::string run_version(const Scenario& scenario, const Request& request) {
  return request.flower_version.empty() ? effective_flower_version(scenario)
                                        : request.flower_version;
}

}  // namespace

SiteFindings run_site_findings(const Scenario& scenario, const Request& request, TargetSites& sites,
                               std::ostream& err) {
  SiteFindings findings;
  const std::string version = run_version(scenario, request);
  const auto armed = armed_and_listed(scenario, request, sites, err, findings.unlisted, {version});
  if (!armed) return findings;
  for (const std::string& site : armed->sites) {
    if (auto unknown = unknown_site(scenario, *armed, site)) {
      findings.errors.push_back(*unknown);
    } else if (!findings.skip && !has(armed->lists.at(version), site)) {
      findings.skip = "arms failpoint site '" + site + "', which the target as Flower " + version +
                      " does not have (a site of Flower " +
                      joined(versions_with(armed->lists, site)) + ")";
    }
  }
  return findings;
}

SiteFindings check_site_findings(const Scenario& scenario, const Request& request,
                                 TargetSites& sites, std::ostream& err) {
  SiteFindings findings;
  // The versions the scenario says it runs as; with --flower-version, that one if it holds.
  std::vector<std::string> claimed;
  if (!request.flower_version.empty()) {
    const bool explicit_claim = has(scenario.versions, request.flower_version) ||
                                scenario.superlink.flower_version == request.flower_version;
    if (explicit_claim) claimed.push_back(request.flower_version);
  } else {
    claimed = scenario.versions;
    const std::string own = effective_flower_version(scenario);
    if (holds_for(scenario, own) && !has(claimed, own)) claimed.push_back(own);
  }
  const auto armed = armed_and_listed(scenario, request, sites, err, findings.unlisted, claimed);
  if (!armed) return findings;
  for (const std::string& site : armed->sites) {
    if (auto unknown = unknown_site(scenario, *armed, site)) {
      findings.errors.push_back(*unknown);
      continue;
    }
    const std::vector<std::string> with = versions_with(armed->lists, site);
    for (const std::string& version : claimed) {
      if (has(armed->lists.at(version), site)) continue;
      std::string fix = "add versions = [" + joined(with, "\"") + "]";
      if (!has(with, effective_flower_version(scenario))) {
        fix += " and superlink.flower_version = \"" + with.front() + "\"";
      }
      findings.errors.push_back(where(scenario, site) + "failpoint site '" + site +
                                "' is not a site of the target as Flower " + version +
                                ", which the scenario runs as; " + fix +
                                " (the versions that have it)");
    }
  }
  return findings;
}

}  // namespace harness::cli
