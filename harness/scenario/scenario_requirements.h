// What a scenario needs of its target, and the failpoint sites it arms: the facts `check` and
// `run` compare with what the target can do (a site list; none in an off build).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/scenario.h"

namespace harness {

// Failpoint sites compiled into the target.
inline constexpr std::string_view kRequiresFailpoints = "failpoints";
// A system-call injector that may trace the target's threads (strace, and ptrace allowed):
// where there is none, a scenario that requires it is skipped rather than failed.
inline constexpr std::string_view kRequiresSyscallFaults = "syscall-faults";

// Sites the scenario arms, sorted, without duplicates: [failpoints], `--failpoint NAME=...` in
// superlink.args, FAILPOINTS in superlink.env and `arm` events.
std::vector<std::string> armed_sites(const Scenario& scenario);

// Sites named `outside.*` are faults the harness injects from outside and journals itself; they
// are never sites of the target.
bool is_outside_site(std::string_view site);

// The site an event is journalled under once done (outside faults, harness/faults/
// outside_faults.h): "outside.database.lock", "outside.occupy.fleet", "outside.release.fleet",
// "outside.run"; nullopt for a request or a signal.
std::optional<std::string> outside_site(const Event& event);

// Every site an outside fault can be journalled under.
const std::vector<std::string>& outside_sites();

// Whether the scenario needs failpoints: `requires` says so, or it arms a site, controls one at
// run time, waits for one to fire, or expects one to fire.
bool needs_failpoints(const Scenario& scenario);

// Whether `requires` names `requirement`.
bool requires_capability(const Scenario& scenario, std::string_view requirement);

}  // namespace harness
