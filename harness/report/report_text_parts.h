// The pieces of the text report that the other reports (JUnit) reuse and the tests pin one by
// one; `run` prints scenario_text (harness/report_text.h).
#pragma once

#include <string>

#include "report_text.h"

namespace harness {

// "PASS  scheduler/tick_panic  (12 ms to exit, fired: scheduler.tick)" without a newline.
std::string status_line(const Scenario& scenario, const RunResult& result, const Verdict& verdict,
                        const TextReportOptions& options);

// The failure report, in this order: the scenario and its file; how the target ended against
// what was expected; every unmet expectation (the first with the nearest line that almost
// matched); what each event did (done when, answered what, or never done and why); the fault
// journal; the captured log with match points marked; the command that
// reruns the target by hand. Every line ends with '\n'.
std::string full_report(const Scenario& scenario, const RunResult& result, const Verdict& verdict,
                        const TextReportOptions& options);

}  // namespace harness
