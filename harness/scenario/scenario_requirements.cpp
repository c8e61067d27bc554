#include "scenario_requirements.h"

#include <algorithm>
#include <set>
#include <utility>
#include <variant>

#include "failpoint/failpoint.h"
#include "scenario/overloaded.h"

namespace harness {
namespace {

// The site names of a FAILPOINTS-style spec: "a=panic;b=off" -> a, b.
void add_spec_sites(std::string_view spec, std::set<std::string>& sites) {
  for (std::string& name : failpoint::spec_site_names(spec)) {
    if (!name.empty()) sites.insert(std::move(name));
  }
}

}  // namespace

std::vector<std::string> armed_sites(const Scenario& scenario) {
  std::set<std::string> sites;
  for (const auto& [site, actions] : scenario.failpoints) sites.insert(site);
  for (const Event& event : scenario.events) {
    const auto* control = event.as<FailpointControl>();
    if (control && control->kind == FailpointControl::Kind::Arm) sites.insert(control->site);
  }
  const auto& args = scenario.superlink.args;
  for (std::size_t i = 0; i < args.size(); ++i) {
    constexpr std::string_view kFlag = "--failpoint";
    if (args[i] == kFlag && i + 1 < args.size()) {
      add_spec_sites(args[++i], sites);
    } else if (args[i].starts_with(std::string(kFlag) + "=")) {
      add_spec_sites(std::string_view(args[i]).substr(kFlag.size() + 1), sites);
    }
  }
  if (const auto env = scenario.superlink.env.find("FAILPOINTS");
      env != scenario.superlink.env.end()) {
    add_spec_sites(env->second, sites);
  }
  return {sites.begin(), sites.end()};
}

std::optional<std::string> outside_site(const Event& event) {
  return std::visit(
      Overloaded{
          [](const DatabaseEvent& e) -> std::optional<std::string> {
            return "outside.database." + e.fault;
          },
          [](const OccupyEvent& e) -> std::optional<std::string> {
            return "outside.occupy." + e.port;
          },
          [](const ReleaseEvent& e) -> std::optional<std::string> {
            return "outside.release." + e.port;
          },
          [](const RunEvent&) -> std::optional<std::string> { return "outside.run"; },
          [](const SyscallFault&) -> std::optional<std::string> { return "outside.syscall"; },
          [](const auto&) -> std::optional<std::string> { return std::nullopt; },
      },
      event.action);
}

bool is_outside_site(std::string_view site) {
  return site.starts_with("outside.");
}

bool requires_capability(const Scenario& scenario, std::string_view requirement) {
  const auto& req = scenario.requirements;
  return std::find(req.begin(), req.end(), requirement) != req.end();
}

bool needs_failpoints(const Scenario& scenario) {
  if (requires_capability(scenario, kRequiresFailpoints)) return true;
  if (!armed_sites(scenario).empty()) return true;
  for (const Event& event : scenario.events) {
    if (event.as<FailpointControl>()) return true;
    if (event.at == Event::Anchor::Fired && !is_outside_site(event.fired_site)) return true;
  }
  if (scenario.expect.fired) {
    return std::any_of(scenario.expect.fired->begin(), scenario.expect.fired->end(),
                       [](const std::string& site) { return !is_outside_site(site); });
  }
  return false;
}

}  // namespace harness
