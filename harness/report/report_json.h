// JSON for scripts: an array with one object per scenario run.
#pragma once

#include <string>
#include <vector>

#include "verdict/scenario_outcome.h"

namespace harness {

// One object per run, keys in this order:
//   name, group, file, repetition, passed, skipped, harness_error (string or null), ending,
//   expected_ending, failures [{expected, actual, nearest_line (1-based or null),
//   nearest_text}], fired [], armed_never_fired [], leftovers [], containment, fault_to_exit_ms,
//   ready_ms, exit_ms (number or null), wall_ms, journal [{hit, site, task, arg, thread, seed,
//   pid, t_ms}], events [{event, repetition, what, anchor, done, t_ms, status, body, body_cut,
//   error, unsent, outcome}], repro.
// One run per line. Times are milliseconds rounded to the microsecond; journal t_ms counts from
// spawn. Strings are valid UTF-8 (bytes that are not become U+FFFD).
std::string json_report(const std::vector<ScenarioOutcome>& outcomes);

}  // namespace harness
