#include "target_sites.h"

#include <sstream>

#include "harness/fault_coverage.h"
#include "harness/target_command.h"

namespace harness::cli {
namespace {

// Asks the target through the run engine itself, so it is spawned, watched and reaped like any
// scenario's.
std::optional<std::vector<std::string>> list_sites(const std::string& binary,
                                                   const std::string& flower_version,
                                                   const Backend& backend, std::ostream& err) {
  Scenario probe;
  probe.name = "list-failpoints";
  probe.superlink.command = {binary, "--list-failpoints"};
  probe.superlink.ready_file = false;
  probe.superlink.flower_version = flower_version;
  probe.expect.exit_code = 0;
  const RunResult result = backend.run(probe, RunOptions{});
  const std::string shown = binary + " --list-failpoints";
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

}  // namespace

const std::optional<std::vector<std::string>>& TargetSites::of(const std::string& target,
                                                               std::ostream& err,
                                                               const std::string& flower_version) {
  const std::string binary = target.empty() ? default_mock_binary() : target;
  const std::string key = binary + '\n' + flower_version;
  auto it = cache_.find(key);
  if (it == cache_.end()) {
    std::ostringstream why;
    it = cache_.emplace(key, list_sites(binary, flower_version, backend_, why)).first;
    errors_[key] = why.str();
  }
  err << errors_[key];
  return it->second;
}

}  // namespace harness::cli
