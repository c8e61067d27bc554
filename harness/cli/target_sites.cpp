#include "target_sites.h"

#include <re2/re2.h>

#include <algorithm>
#include <sstream>

#include "harness/fault_coverage.h"
#include "harness/target_command.h"

namespace harness::cli {
namespace {

// Asks the target through the run engine itself, so it is spawned, watched and reaped like any
// scenario's.
// A line of the listing: "site.name  where it is".
bool is_site_line(const std::string& line) {
  static const re2::RE2 kSite(R"(^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+(\s.*)?$)");
  return re2::RE2::FullMatch(line, kSite);
}

std::optional<std::vector<std::string>> list_sites(const std::string& binary, TargetKind kind,
                                                   const std::string& flower_version,
                                                   const Backend& backend, std::ostream& err,
                                                   bool& foreign) {
  Scenario probe;
  probe.name = "list-failpoints";
  if (kind == TargetKind::Flower) {
    probe.superlink.command = {binary, "--help"};
    probe.superlink.env["SUPERLINK_LIST_FAILPOINTS"] = "1";
  } else {
    probe.superlink.command = {binary, "--list-failpoints"};
  }
  probe.superlink.ready = harness::Readiness::None;
  probe.superlink.flower_version = flower_version;
  probe.expect.exit_code = 0;
  const RunResult result = backend.run(probe, RunOptions{});
  const std::string shown = kind == TargetKind::Flower
                                ? "SUPERLINK_LIST_FAILPOINTS=1 " + binary + " --help"
                                : binary + " --list-failpoints";
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
      if (line.stream == Stream::Stdout && !line.text.empty()) lines.push_back(line.text);
    }
  }
  if (kind == TargetKind::Flower && !std::all_of(lines.begin(), lines.end(), is_site_line)) {
    foreign = true;  // its own help: a SuperLink without the mock's failpoints
    return std::vector<std::string>{};
  }
  return parse_site_list(lines);
}

}  // namespace

const std::optional<std::vector<std::string>>& TargetSites::of(const std::string& target,
                                                               std::ostream& err, TargetKind kind,
                                                               const std::string& flower_version) {
  const std::string binary = target.empty() ? default_mock_binary() : target;
  const std::string key = binary + '\n' + flower_version;
  auto it = cache_.find(key);
  if (it == cache_.end()) {
    std::ostringstream why;
    bool foreign = false;
    it =
        cache_.emplace(key, list_sites(binary, kind, flower_version, backend_, why, foreign)).first;
    if (foreign) foreign_.insert(binary);
    errors_[key] = why.str();
  }
  err << errors_[key];
  return it->second;
}

}  // namespace harness::cli
