// The schema of the failpoint control events (`arm`, `disarm`, `wait_paused`, `resume`): the
// part of read_event that is theirs, kept apart so the loader only dispatches to it.
#pragma once

#include <toml++/toml.h>

#include <array>
#include <string>
#include <string_view>

#include "harness/scenario.h"
#include "scenario_toml_reader.h"

namespace harness::internal {

// What an [[events]] entry does: exactly one of these keys.
inline constexpr std::array<std::string_view, 12> kEventActionKeys = {
    "request", "grpc",    "signal", "database", "occupy",      "release",
    "run",     "syscall", "arm",    "disarm",   "wait_paused", "resume"};

// The keys of kEventActionKeys that make a failpoint control event.
inline constexpr std::array<std::string_view, 4> kControlActionKeys = {"arm", "disarm",
                                                                       "wait_paused", "resume"};

// Reads the control of an entry that has `arm`, `disarm`, `wait_paused` or `resume` (and
// `timeout_ms`); `prefix` is how messages name the entry ("events[2]").
FailpointControl read_control(const Reader& reader, const toml::table& table,
                              const std::string& prefix, const TargetSpec& target);

// Once every event is read: `disarm`, `wait_paused` and `resume` must name a site the scenario
// arms, or they wait for or undo something that cannot happen. Left to the run-time check in a
// negative scenario, and not checked for a custom `command`, which may arm its own sites.
void check_controlled_sites(const Reader& reader, const toml::array& events,
                            const Scenario& scenario);

}  // namespace harness::internal
