#include "report_text.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/verdict.h"
#include "report_fixtures.h"
#include "report_text_parts.h"

namespace harness {
namespace {

using test_support::stderr_line;
using test_support::tick_panic_failed;
using test_support::tick_panic_passed;

TEST(FormatDuration, PicksAReadableUnit) {
  EXPECT_EQ(format_duration(std::chrono::microseconds(400)), "0.4 ms");
  EXPECT_EQ(format_duration(std::chrono::microseconds(9'960)), "10.0 ms");
  EXPECT_EQ(format_duration(std::chrono::microseconds(12'700)), "12 ms");
  EXPECT_EQ(format_duration(std::chrono::milliseconds(2'500)), "2500 ms");
  EXPECT_EQ(format_duration(std::chrono::milliseconds(25'000)), "25.0 s");
}

TEST(StatusLine, PassNamesTimeToExitAndFiredSites) {
  auto f = tick_panic_passed();
  EXPECT_EQ(status_line(f.scenario, f.result, f.verdict, {}),
            "PASS  scheduler/tick_panic  (12 ms to exit, fired: scheduler.tick)");
  EXPECT_EQ(scenario_text(f.scenario, f.result, f.verdict, {}),
            "PASS  scheduler/tick_panic  (12 ms to exit, fired: scheduler.tick)\n");
}

TEST(StatusLine, PassWithoutFaultMeasuresFromSpawn) {
  auto f = tick_panic_passed();
  f.verdict.fault_to_exit.reset();
  f.verdict.fired.clear();
  EXPECT_EQ(status_line(f.scenario, f.result, f.verdict, {}),
            "PASS  scheduler/tick_panic  (318 ms to exit)");
}

TEST(StatusLine, StillRunningShowsTheEnding) {
  auto f = tick_panic_passed();
  f.result.exit_at.reset();
  f.verdict.ending = "still running (stopped by the harness)";
  f.verdict.fired.clear();
  EXPECT_EQ(status_line(f.scenario, f.result, f.verdict, {}),
            "PASS  scheduler/tick_panic  (still running (stopped by the harness))");
}

TEST(StatusLine, NegativePassNamesTheWantedFailure) {
  auto f = tick_panic_passed();
  f.verdict.inverted = true;
  f.verdict.expected_failures = {{"exit status 0", "exited with status 100", std::nullopt, ""}};
  EXPECT_EQ(status_line(f.scenario, f.result, f.verdict, {}),
            "PASS  scheduler/tick_panic  (12 ms to exit, fired: scheduler.tick, failed as "
            "intended: expected exit status 0, got exited with status 100)");
}

TEST(StatusLine, ColoursOnlyWhenAsked) {
  auto f = tick_panic_failed();
  EXPECT_EQ(status_line(f.scenario, f.result, f.verdict, {.color = true}),
            "\x1b[31mFAIL \x1b[0m scheduler/tick_panic  (expected exit status 100, got exited "
            "with status 0)");
}

TEST(StatusLine, SkippedSaysWhyAndNothingElse) {
  auto f = tick_panic_failed();
  f.result = RunResult{};
  f.verdict = skipped_verdict("requires failpoints; the target lists none");
  EXPECT_EQ(scenario_text(f.scenario, f.result, f.verdict, {}),
            "SKIP  scheduler/tick_panic  (skipped: requires failpoints; the target lists none)\n");
}

TEST(StatusLine, HarnessErrorWins) {
  auto f = tick_panic_failed();
  f.result.harness_error = "cannot occupy fleet port: Address already in use";
  EXPECT_EQ(status_line(f.scenario, f.result, f.verdict, {}),
            "ERROR scheduler/tick_panic  (harness error: cannot occupy fleet port: Address "
            "already in use)");
}

TEST(FullReport, FailureInTheDocumentedOrder) {
  auto f = tick_panic_failed();
  EXPECT_EQ(scenario_text(f.scenario, f.result, f.verdict, {}),
            "FAIL  scheduler/tick_panic  (expected exit status 100, got exited with status 0)\n"
            "  scenario: scheduler/tick_panic\n"
            "  file:     scenarios/scheduler/tick_panic.toml\n"
            "  about:    Scheduler dies on its third tick; the SuperLink must exit 100.\n"
            "  ended:    exited with status 0\n"
            "  expected: exit status 100\n"
            "  unmet (1 of 2): exit status 100\n"
            "    actual:  exited with status 0\n"
            "  unmet (2 of 2): stderr line matching /Exit Code: 100/\n"
            "    actual:  no such line in 3 lines of stderr\n"
            "    nearest: line 2: ERROR :     Exit Code: 10\n"
            "  fault journal: 1 firing (t from spawn)\n"
            "    hit  site            task  arg  thread     t\n"
            "      1  scheduler.tick  off        scheduler  +105 ms\n"
            "  log: 3 lines, 114 bytes; '>' matched, '?' nearest miss\n"
            "    1 stderr +2.0 ms | INFO :      Starting Flower SuperLink\n"
            "  ? 2 stderr +306 ms | ERROR :     Exit Code: 10\n"
            "                     ^ nearest miss for: stderr line matching /Exit Code: 100/\n"
            "    3 stderr +307 ms | INFO :      SuperLink terminated gracefully.\n"
            "  rerun:\n"
            "    FAILPOINTS='scheduler.tick=2*off->panic(database is locked)' NO_COLOR=1 "
            "/b/bin/mock-superlink --insecure --ready-file ./ready.json\n");
}

TEST(FullReport, VerbosePassMarksMatches) {
  auto f = tick_panic_passed();
  EXPECT_EQ(scenario_text(f.scenario, f.result, f.verdict, {.verbose = true}),
            "PASS  scheduler/tick_panic  (12 ms to exit, fired: scheduler.tick)\n"
            "  scenario: scheduler/tick_panic\n"
            "  file:     scenarios/scheduler/tick_panic.toml\n"
            "  about:    Scheduler dies on its third tick; the SuperLink must exit 100.\n"
            "  ended:    exited with status 100\n"
            "  expected: exit status 100\n"
            "  fault journal: 2 firings (t from spawn)\n"
            "    hit  site            task   arg                 thread     t\n"
            "      1  scheduler.tick  off                        scheduler  +105 ms\n"
            "      3  scheduler.tick  panic  database is locked  scheduler  +306 ms\n"
            "  log: 3 lines, 114 bytes; '>' matched, '?' nearest miss\n"
            "    1 stderr +2.0 ms | INFO :      Starting Flower SuperLink\n"
            "  > 2 stderr +306 ms | ERROR :     Exit Code: 100\n"
            "                     ^ matched /Exit Code: 100/\n"
            "  > 3 stderr +307 ms | An important background thread has crashed.\n"
            "                     ^ matched /An important background thread has crashed\\./\n"
            "  rerun:\n"
            "    FAILPOINTS='scheduler.tick=2*off->panic(database is locked)' NO_COLOR=1 "
            "/b/bin/mock-superlink --insecure --ready-file ./ready.json\n");
}

TEST(FullReport, LongLogShowsHeadTailAndMarkedLines) {
  auto f = tick_panic_failed();
  f.verdict.failures.clear();
  f.verdict.marks = {{Stream::Stderr, "line 50$", 49}};
  f.result.log.head.clear();
  for (int i = 1; i <= 60; ++i) {
    f.result.log.head.push_back(stderr_line(i, "line " + std::to_string(i)));
  }
  for (int i = 161; i <= 170; ++i) {
    f.result.log.tail.push_back(stderr_line(i, "line " + std::to_string(i) + "\x1b[0m"));
  }
  f.result.log.dropped_lines = 100;
  f.result.log.dropped_bytes = 800;
  f.result.log.total_bytes = 1500;
  const std::string report =
      full_report(f.scenario, f.result, f.verdict, {.head_lines = 2, .tail_lines = 3});
  const std::string log =
      report.substr(report.find("  log:"), report.find("  rerun:") - report.find("  log:"));
  EXPECT_EQ(log,
            "  log: 170 lines, 1500 bytes; the capture budget dropped 100 lines (800 bytes); "
            "'>' matched, '?' nearest miss\n"
            "      1 stderr +1.0 ms | line 1\n"
            "      2 stderr +2.0 ms | line 2\n"
            "    ... 47 lines omitted ...\n"
            "  >  50 stderr  +50 ms | line 50\n"
            "                       ^ matched /line 50$/\n"
            "    ... 117 lines omitted ...\n"
            "    168 stderr +168 ms | line 168\\x1b[0m\n"
            "    169 stderr +169 ms | line 169\\x1b[0m\n"
            "    170 stderr +170 ms | line 170\\x1b[0m\n");
}

TEST(FullReport, NotStartedHasNoRerunCommand) {
  auto f = tick_panic_failed();
  f.result.argv.clear();
  f.result.log = {};
  f.result.journal.clear();
  f.verdict.armed_never_fired = {"scheduler.tick"};
  const std::string report = full_report(f.scenario, f.result, f.verdict, {});
  EXPECT_THAT(report, ::testing::HasSubstr(
                          "  fault journal: no firings\n  armed, never fired: scheduler.tick\n"
                          "  log: empty\n  rerun: (no command: the target was not started)\n"));
}

TEST(FullReport, NamesWhatOutlivedTheTarget) {
  auto f = tick_panic_failed();
  f.result.leftovers = {"pid 41 (sleep)", "pid 42 (sleep)"};
  const std::string report = full_report(f.scenario, f.result, f.verdict, {});
  EXPECT_THAT(report, ::testing::HasSubstr(
                          "  left:     pid 41 (sleep), pid 42 (sleep) (outlived the target; killed "
                          "by the harness)\n"));
}

// The headline and the log give a line one number: its place in the whole output, the lines
// the capture budget dropped included (the headline used to count kept lines only).
TEST(FullReport, TheHeadlineAndTheLogNumberALineAlike) {
  Scenario scenario;
  scenario.name = "numbers";
  scenario.expect.stderr_lines = {"Starting", "Exit Code"};
  scenario.expect.stderr_not = {"forbidden"};
  RunResult result;
  result.end.kind = Termination::Kind::Exited;
  result.argv = {"target"};
  result.log.head = {stderr_line(1, "one"), stderr_line(2, "two")};
  result.log.dropped_lines = 100;
  result.log.tail = {stderr_line(3, "Starting"), stderr_line(4, "forbidden")};
  const Verdict verdict = judge(scenario, result);
  ASSERT_EQ(verdict.failures.size(), 2u);
  EXPECT_EQ(verdict.failures[0].expected, "stderr line matching /Exit Code/ after line 103");
  EXPECT_EQ(verdict.failures[1].actual.substr(0, 18), "line 104 matches: ");
  const std::string report = full_report(scenario, result, verdict, {});
  EXPECT_THAT(report, ::testing::HasSubstr("  > 103 stderr"));
  EXPECT_THAT(report, ::testing::HasSubstr("  ? 104 stderr"));
}

TEST(FullReport, SaysWhatEachEventDid) {
  auto f = tick_panic_failed();
  test_support::add_events(f);
  const std::string report = full_report(f.scenario, f.result, f.verdict, {});
  EXPECT_THAT(report, ::testing::HasSubstr(
                          "  events: 1 of 3 done (t from spawn)\n"
                          "    events[0] request ping #1 at ready+10ms: done at +41 ms: HTTP 200 "
                          "\"pong\\x01\"\n"
                          "    events[0] request ping #2 at ready+10ms: not done at +45 ms: "
                          "Connection refused (fails the run)\n"
                          "    events[1] signal SIGTERM at fired:scheduler.tick: not done: target "
                          "had exited\n"
                          "  fault journal:"));
}

}  // namespace
}  // namespace harness
