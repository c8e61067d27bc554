// JSON for scripts: an array with one object per scenario run.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "harness/scenario_outcome.h"

namespace harness {

// `text` as a JSON string literal, quotes included: control characters as \uXXXX (or \n, \t,
// ...), invalid UTF-8 as U+FFFD.
std::string json_quote(std::string_view text);

// One object per run, keys in this order:
//   name, group, file, repetition, passed, harness_error (string or null), ending,
//   expected_ending, failures [{expected, actual, nearest_line (1-based or null),
//   nearest_text}], fired [], armed_never_fired [], leftovers [], containment, fault_to_exit_ms,
//   ready_ms, exit_ms (number or null), wall_ms, journal [{hit, site, task, arg, thread, seed,
//   pid, t_ms}], repro.
// Times are milliseconds with three decimals; journal t_ms counts from spawn.
std::string json_report(const std::vector<ScenarioOutcome>& outcomes);

}  // namespace harness
