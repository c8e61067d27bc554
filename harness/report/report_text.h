// The human report of one scenario run: one line for a pass, the full failure report otherwise.
// Pure functions of Scenario + RunResult + Verdict, so every format is pinned by unit tests.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "harness/run_result.h"
#include "harness/scenario.h"
#include "harness/verdict.h"
#include "scenario/event_text.h"  // format_duration

namespace harness {

struct TextReportOptions {
  bool color = false;           // ANSI colours (the caller decides: TTY, NO_COLOR, --color)
  bool verbose = false;         // the full report for passes too
  std::size_t head_lines = 40;  // log lines shown from the start ...
  std::size_t tail_lines = 40;  // ... and from the end; the rest is summarised
};

// The measure shown as "to exit": from the first fault firing when one fired and the target
// exited, otherwise from spawn; empty when the target did not exit.
std::optional<Nanos> time_to_exit(const RunResult& result, const Verdict& verdict);

// One line naming what went wrong first: "harness error: ...", Verdict::headline() ("expected X,
// got Y"), or "PASS".
std::string report_headline(const RunResult& result, const Verdict& verdict);

// What `run` prints for one scenario: the status line, then the full report when it failed (or
// options.verbose).
std::string scenario_text(const Scenario& scenario, const RunResult& result, const Verdict& verdict,
                          const TextReportOptions& options);

}  // namespace harness
