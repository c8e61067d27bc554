// `list` and `check`: read the catalogue, run nothing.
#include <algorithm>

#include "cli/commands/catalogue.h"
#include "cli/commands/catalogue_json.h"
#include "cli/commands/commands.h"
#include "cli/target_program/site_check.h"
#include "cli/target_program/target_choice.h"
#include "cli/target_program/target_sites.h"
#include "scenario/scenario_requirements.h"
#include "scenario/scenario_versions.h"
#include "selection/scenario_set.h"

namespace harness::cli {

int list_command(const Request& request, const Backend& backend, Streams streams) {
  auto scenarios = load_catalogue(request.paths, backend, streams.err);
  if (!scenarios) return kExitError;
  const auto matching =
      filtered(std::move(*scenarios), request.filters, request.paths, streams.err);
  if (!matching) return kExitError;
  std::vector<Scenario> selected = std::move(*matching);
  // --flower-version: only the scenarios that run for it.
  if (!request.flower_version.empty()) {
    std::erase_if(selected, [&](const Scenario& scenario) {
      return version_skip_reason(scenario, request.flower_version).has_value();
    });
  }
  if (request.list_format == ListFormat::Json) {
    streams.out << catalogue_json(selected);
    return kExitPass;
  }
  // The id is what --filter takes back: group/name.
  std::size_t id_width = 8;
  for (const Scenario& s : selected) id_width = std::max(id_width, qualified_name(s).size());
  auto row = [&](const std::string& id, const std::string& about) {
    std::string line = id + std::string(id_width - id.size() + 2, ' ') + about;
    while (!line.empty() && line.back() == ' ') line.pop_back();
    streams.out << line << "\n";
  };
  row("scenario", "description");
  for (const Scenario& s : selected) row(qualified_name(s), s.description);
  return kExitPass;
}

namespace {

// Every site a scenario arms must be one of the sites of the target that runs it, as every
// version the scenario runs as (site_check.h); each problem is printed once, with its position.
bool sites_exist(const std::vector<Scenario>& scenarios, const Request& request,
                 const Backend& backend, std::ostream& err) {
  TargetSites target_sites(backend, request.site_cache_dir);
  bool ok = true;
  for (const Scenario& scenario : scenarios) {
    const SiteFindings findings = check_site_findings(scenario, request, target_sites, err);
    if (findings.unlisted) return false;
    for (const std::string& error : findings.errors) err << error << "\n";
    ok = ok && findings.errors.empty();
  }
  return ok;
}

}  // namespace

int check_command(const Request& request, const Backend& backend, Streams streams) {
  const auto scenarios = load_catalogue(request.paths, backend, streams.err);
  if (!scenarios) return kExitError;
  if (!sites_exist(*scenarios, request, backend, streams.err)) return kExitError;
  streams.out << scenarios->size() << (scenarios->size() == 1 ? " scenario" : " scenarios")
              << " parsed, no errors\n";
  return kExitPass;
}

}  // namespace harness::cli
