// `coverage`: every failpoint site the target lists must be fired by at least one scenario.
#include <algorithm>

#include "catalogue.h"
#include "cli.h"
#include "commands.h"
#include "harness/fault_coverage.h"
#include "harness/target_command.h"

namespace harness::cli {
namespace {

// Asks the target for its sites (`--list-failpoints`) through the run engine itself, so the
// target is spawned, watched and reaped like any scenario's.
std::optional<std::vector<std::string>> target_sites(const std::string& target,
                                                     const Backend& backend, std::ostream& err) {
  Scenario probe;
  probe.name = "list-failpoints";
  probe.superlink.command = {target.empty() ? default_mock_binary() : target, "--list-failpoints"};
  probe.superlink.ready_file = false;
  probe.expect.exit_code = 0;
  const RunResult result = backend.run(probe, RunOptions{});
  const std::string shown = probe.superlink.command[0] + " --list-failpoints";
  if (result.harness_error) {
    err << "superlink-harness: " << shown << ": " << *result.harness_error << "\n";
    return std::nullopt;
  }
  if (result.end.kind != Termination::Kind::Exited || result.end.code != 0) {
    err << "superlink-harness: " << shown << " did not exit 0 ("
        << backend.judge(probe, result).ending << ")\n";
    return std::nullopt;
  }
  std::vector<std::string> lines;
  for (const auto* part : {&result.log.head, &result.log.tail}) {
    for (const LogLine& line : *part) {
      if (line.stream == Stream::Stdout) lines.push_back(line.text);
    }
  }
  return parse_site_list(lines);
}

std::string joined(const std::vector<std::string>& names) {
  std::string text;
  for (const std::string& name : names) text += (text.empty() ? "" : ", ") + name;
  return text;
}

}  // namespace

int coverage_command(const Request& request, const Backend& backend, Streams streams) {
  const auto sites = target_sites(request.target, backend, streams.err);
  if (!sites) return kExitError;
  if (sites->empty()) {
    streams.err << "superlink-harness: the target lists no failpoint sites\n";
    return kExitError;
  }
  auto scenarios = load_catalogue(request.paths, backend, streams.err);
  if (!scenarios) return kExitError;
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
