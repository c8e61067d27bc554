// `coverage`: every failpoint site the target lists must be fired by at least one scenario.
#include <algorithm>

#include "cli/commands/catalogue.h"
#include "cli/commands/commands.h"
#include "cli/target_program/target_choice.h"
#include "cli/target_program/target_sites.h"
#include "engine/default_binaries.h"
#include "scenario/scenario_versions.h"
#include "selection/fault_coverage.h"

namespace harness::cli {
namespace {

std::string joined(const std::vector<std::string>& names) {
  std::string text;
  for (const std::string& name : names) text += (text.empty() ? "" : ", ") + name;
  return text;
}

}  // namespace

int coverage_command(const Request& request, const Backend& backend, Streams streams) {
  TargetSites target_sites(backend, request.site_cache_dir);
  // Per version: that version's sites, fired by the scenarios that hold for it (default: 1.18).
  const std::string version =
      request.flower_version.empty() ? known_flower_versions().front() : request.flower_version;
  const TargetKind kind = request.target_kind_flower ? TargetKind::Flower : TargetKind::Mock;
  const auto& sites = target_sites.of(target_binary(request, kind), streams.err, kind, version);
  if (!sites) return kExitError;
  if (sites->empty()) {
    streams.err << "superlink-harness: the target lists no failpoint sites\n";
    return kExitError;
  }
  auto scenarios = load_catalogue(request.paths, backend, streams.err);
  if (!scenarios) return kExitError;
  // What runs on that version and that kind: under --target-kind flower, kind mock is skipped.
  std::erase_if(*scenarios, [&](const Scenario& s) {
    return version_skip_reason(s, version) ||
           (request.target_kind_flower && kind_of(s.superlink) == TargetKind::Mock);
  });
  const FaultCoverage coverage = fault_coverage(*sites, *scenarios);

  std::size_t width = 4;
  for (const auto& [site, names] : coverage.sites) width = std::max(width, site.size());
  for (const auto& [site, names] : coverage.sites) {
    streams.out << site << std::string(width - site.size() + 2, ' ')
                << (names.empty() ? "(no scenario)" : joined(names)) << "\n";
  }
  if (!coverage.unknown.empty()) {
    streams.out << "expected to fire but not a site of the target: " << joined(coverage.unknown)
                << "\n";
  }
  if (!coverage.uncovered.empty()) {
    streams.out << "uncovered failpoint sites: " << joined(coverage.uncovered) << "\n";
    return kExitFail;
  }
  streams.out << "all " << sites->size() << " sites are fired by at least one scenario\n";
  return coverage.unknown.empty() ? kExitPass : kExitFail;
}

}  // namespace harness::cli
