// The failpoint sites a scenario arms against the sites its target has, as each Flower version:
// what `run` refuses before it starts anything (a site no version has: a typo), what it skips (a
// site the run's version lacks), and what `check` reports (the same, and a site missing in a
// version the scenario claims).
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "cli/base/request.h"
#include "cli/target_program/target_sites.h"

namespace harness::cli {

struct SiteFindings {
  // "FILE:LINE:COL: message", one per site: the file must change.
  std::vector<std::string> errors;
  // Why a run as its version cannot fire what it arms (run only).
  std::optional<std::string> skip;
  // The target could not list its sites (said on `err`).
  bool unlisted = false;
};

// What `run` would do with `scenario` (the version it runs as: --flower-version, else the
// scenario's own, else 1.18). Left alone (no findings): commands, scenarios expecting status 104
// (they pin the target's own refusal), kind mock under --target-kind flower, sites under
// `outside.`, and a target that lists no sites.
SiteFindings run_site_findings(const Scenario& scenario, const Request& request, TargetSites& sites,
                               std::ostream& err);

// What `check` says: run_site_findings' errors, and, for every version the scenario claims
// (`versions`, its pinned `flower_version`, or the one a run uses by default), a site that
// version lacks.
SiteFindings check_site_findings(const Scenario& scenario, const Request& request,
                                 TargetSites& sites, std::ostream& err);

}  // namespace harness::cli
