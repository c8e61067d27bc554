// The verdict: a scenario's expectations checked against what a run produced. Pure: no process,
// no clock, so every rule is unit-tested on hand-made RunResults.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "harness/line_match.h"
#include "harness/run_result.h"
#include "harness/scenario.h"

namespace harness {

// The lines of `stream` in `log`, in order (harness/line_match.h matches them). The views point
// into `log`.
std::vector<NumberedLine> lines_of(const CapturedLog& log, Stream stream);

// Where an ordered line expectation matched (index into head followed by tail of the log).
struct LineMark {
  Stream stream = Stream::Stderr;
  std::string pattern;
  std::optional<std::size_t> line;  // empty: not found
};

// One unmet expectation, phrased for a person: what was expected, what happened, and the line
// that came closest (for line expectations).
struct Failure {
  std::string expected;                     // "stderr line matching /Exit Code: 100/ after line 12"
  std::string actual;                       // "no such line in 40 lines of stderr"
  std::optional<std::size_t> nearest_line;  // index of the closest line, when one exists
  std::string nearest_text;
  // "expected <expected>, got <actual>": the headline, and what negative_message is matched on.
  std::string text() const;
};

struct Verdict {
  bool passed = false;
  // "exited with status 100" / "killed by signal SIGABRT (core dumped)" / "timed out after
  // 10000 ms" / "still running (stopped by the harness)".
  std::string ending;
  std::string expected_ending;     // "exit status 100", "killed by SIGABRT", "still running"
  std::vector<Failure> failures;   // in report order; the first is the headline
  std::vector<LineMark> marks;     // every ordered line expectation, matched or not
  std::vector<std::string> fired;  // sites that fired (journal), in first-fire order
  std::vector<std::string> armed_never_fired;  // armed in the scenario, absent from the journal
  std::optional<Nanos> fault_to_exit;          // first firing to exit, when both are known
  // For negative scenarios: the verdict of the expectations as written, before inversion.
  bool inverted = false;
  // For negative scenarios: the failures of the expectations as written (the ones wanted).
  std::vector<Failure> expected_failures;
  // Set when the scenario did not run because the target cannot do what it requires ("the target
  // has no failpoints"): never passed, never failed. `passed` is false.
  std::optional<std::string> skipped;
  std::string headline() const;  // one line: "PASS" or the first failure, short
};

Verdict judge(const Scenario& scenario, const RunResult& result);

// The verdict of a scenario that was not run: skipped, with the reason.
Verdict skipped_verdict(std::string reason);

// How a run ended, in words: "exited with status 100", "killed by signal SIGABRT (core
// dumped)", "timed out after 10000 ms (SIGTERM ignored, killed)". With the scenario, the hold and
// the deadline are named in the text.
std::string describe_ending(const RunResult& result, const Scenario* scenario = nullptr);

}  // namespace harness
