// GoogleMock matchers on harness::RunResult, for C++ scenarios written as TESTs:
//
//   harness::RunResult run = harness::run_scenario(scenario, {});
//   EXPECT_THAT(run, ExitsWith(100));
//   EXPECT_THAT(run, StderrHasLinesInOrder({"Exit Code: 100", "crashed"}));
//
// Each matcher describes itself in words and, when it fails, says what the run did instead
// (for lines: where the search stopped and the nearest line).
#pragma once

#include <gmock/gmock.h>

#include <string>
#include <vector>

#include "harness/run_result.h"

namespace harness::test_support {

using RunMatcher = ::testing::Matcher<const RunResult&>;

// The target exited by itself with this status.
RunMatcher ExitsWith(int code);
// The target was killed by this signal (not by the harness's deadline).
RunMatcher KilledBy(int signal);
// The target was alive when the run ended (and the harness stopped it).
RunMatcher StillRunning();
// Each regex (ECMAScript, searched in the line) matches a stderr line after the previous match.
RunMatcher StderrHasLinesInOrder(std::vector<std::string> patterns);
// No stderr line matches the regex.
RunMatcher StderrHasNoLine(std::string pattern);
// The fault journal shows `site` firing (a task other than `off`).
RunMatcher Fired(std::string site);
// The sites that fired are exactly these (any order; empty: none fired).
RunMatcher FiredExactly(std::vector<std::string> sites);

// How a run ended, in words: "exited with status 100", "killed by signal SIGABRT (core dumped)".
std::string DescribeEnding(const RunResult& result);

}  // namespace harness::test_support
