// `list` and `check`: read the catalogue, run nothing.
#include <algorithm>

#include "catalogue.h"
#include "catalogue_json.h"
#include "cli.h"
#include "commands.h"
#include "harness/scenario_requirements.h"
#include "harness/scenario_set.h"
#include "harness/scenario_versions.h"
#include "target_choice.h"
#include "target_sites.h"

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
  std::size_t name_width = 4;
  std::size_t group_width = 5;
  for (const Scenario& s : selected) {
    name_width = std::max(name_width, s.name.size());
    group_width = std::max(group_width, s.group.size());
  }
  auto row = [&](const std::string& name, const std::string& group, const std::string& about) {
    std::string line = name + std::string(name_width - name.size() + 2, ' ') + group +
                       std::string(group_width - group.size() + 2, ' ') + about;
    while (!line.empty() && line.back() == ' ') line.pop_back();
    streams.out << line << "\n";
  };
  row("name", "group", "description");
  for (const Scenario& s : selected) row(s.name, s.group, s.description);
  return kExitPass;
}

namespace {

// Every site a scenario arms must be one of the sites of the target that runs it (the binary of
// its kind, from --target and --target-kind), as each version the scenario may run as
// (`--flower-version` narrows that to one). Left alone: commands; scenarios that expect status
// 104, which pin the target's own refusal of a bad site; kind mock under --target-kind flower,
// and any scenario whose target lists no sites (an off build, a real SuperLink), which `run`
// skips instead.
bool sites_exist(const std::vector<Scenario>& scenarios, const Request& request,
                 const Backend& backend, std::ostream& err) {
  TargetSites target_sites(backend);
  bool ok = true;
  for (const Scenario& scenario : scenarios) {
    const TargetKind kind = kind_of(scenario.superlink);
    if (kind == TargetKind::Command || scenario.expect.exit_code == 104) continue;
    if (kind == TargetKind::Mock && request.target_kind_flower) continue;
    std::vector<std::string> armed = armed_sites(scenario);
    std::erase_if(armed, is_outside_site);
    if (armed.empty()) continue;
    for (const std::string& version : possible_flower_versions(scenario)) {
      if (!request.flower_version.empty() && version != request.flower_version) continue;
      const auto& sites = target_sites.of(target_binary(request, kind), err, kind, version);
      if (!sites) return false;
      if (sites->empty()) continue;
      for (const std::string& site : armed) {
        if (std::find(sites->begin(), sites->end(), site) != sites->end()) continue;
        std::string known;
        for (const std::string& s : *sites) known += (known.empty() ? "" : ", ") + s;
        err << scenario.file << ": failpoint site '" << site
            << "' is not a site of the target as Flower " << version << " (its sites: " << known
            << ")\n";
        ok = false;
      }
    }
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
