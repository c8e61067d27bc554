#include "harness/verdict.h"

#include <gtest/gtest.h>

#include <csignal>

namespace harness {
namespace {

Scenario expecting_exit(int code) {
  Scenario scenario;
  scenario.expect.exit_code = code;
  return scenario;
}

RunResult exited(int code) {
  RunResult result;
  result.end.kind = Termination::Kind::Exited;
  result.end.code = code;
  result.ready = true;
  result.ready_at = Nanos{1'000'000};
  result.spawn_mono_ns = 5'000'000'000;
  result.exit_mono_ns = 5'100'000'000;
  return result;
}

void add_line(RunResult& result, Stream stream, const std::string& text) {
  result.log.head.push_back({stream, Nanos{0}, text, text});
}

JournalEntry firing(const std::string& site, const std::string& task, std::int64_t mono_ns) {
  JournalEntry entry;
  entry.site = site;
  entry.task = task;
  entry.mono_ns = mono_ns;
  return entry;
}

TEST(Ending, DescribesEveryWayARunEnds) {
  Scenario scenario = expecting_exit(0);
  scenario.timeout = Millis{10000};
  scenario.expect.hold = Millis{500};
  RunResult result;
  result.ready = true;
  result.end = {Termination::Kind::Exited, 100, 0, false, false};
  EXPECT_EQ(judge(scenario, result).ending, "exited with status 100");
  result.end = {Termination::Kind::Signaled, 0, SIGABRT, true, false};
  EXPECT_EQ(judge(scenario, result).ending, "killed by signal SIGABRT (core dumped)");
  result.end = {Termination::Kind::Signaled, 0, SIGSEGV, false, false};
  EXPECT_EQ(judge(scenario, result).ending, "killed by signal SIGSEGV");
  result.end = {Termination::Kind::TimedOut, 0, 0, false, true};
  EXPECT_EQ(judge(scenario, result).ending, "timed out after 10000 ms (SIGTERM ignored, killed)");
  result.end = {Termination::Kind::TimedOut, 0, 0, false, false};
  EXPECT_EQ(judge(scenario, result).ending, "timed out after 10000 ms (stopped with SIGTERM)");
  result.ready = false;  // a timeout before ready says what the run waited for
  EXPECT_EQ(judge(scenario, result).ending,
            "timed out after 10000 ms (stopped with SIGTERM; never ready: no ready file)");
  result.end = {Termination::Kind::StillRunning, 0, 0, false, false};
  EXPECT_EQ(judge(scenario, result).ending, "still running after 500 ms (stopped by the harness)");
  result.end = {Termination::Kind::NotStarted, 0, 0, false, false};
  result.harness_error = "cannot spawn /nope: No such file or directory";
  EXPECT_EQ(judge(scenario, result).ending,
            "did not start: cannot spawn /nope: No such file or directory");
}

TEST(Ending, PassesOnlyOnTheExpectedEnding) {
  const Verdict pass = judge(expecting_exit(100), exited(100));
  EXPECT_TRUE(pass.passed);
  EXPECT_EQ(pass.headline(), "PASS");
  EXPECT_EQ(pass.expected_ending, "exit status 100");

  const Verdict fail = judge(expecting_exit(100), exited(1));
  EXPECT_FALSE(fail.passed);
  EXPECT_EQ(fail.headline(), "expected exit status 100, got exited with status 1");

  Scenario by_signal;
  by_signal.expect.signal = SIGABRT;
  RunResult aborted;
  aborted.end = {Termination::Kind::Signaled, 0, SIGABRT, true, false};
  EXPECT_TRUE(judge(by_signal, aborted).passed);
  EXPECT_EQ(judge(by_signal, exited(6)).headline(),
            "expected killed by SIGABRT, got exited with status 6");

  Scenario running;
  running.expect.still_running = true;
  RunResult alive;
  alive.end.kind = Termination::Kind::StillRunning;
  EXPECT_TRUE(judge(running, alive).passed);
  EXPECT_EQ(judge(running, exited(100)).headline(),
            "expected still running, got exited with status 100");
}

TEST(Ending, AHarnessErrorFailsEvenWhenTheTargetEndedWell) {
  RunResult result = exited(100);
  result.harness_error = "cannot bind the fleet port";
  EXPECT_EQ(judge(expecting_exit(100), result).headline(),
            "expected the harness to do its part, got harness error: cannot bind the fleet port");
}

TEST(OrderedLines, MatchLikeFileCheckAndMarkEveryPattern) {
  Scenario scenario = expecting_exit(100);
  scenario.expect.stderr_lines = {"Exit Code: 100", "crashed"};
  RunResult result = exited(100);
  add_line(result, Stream::Stderr, "INFO :      Starting");
  add_line(result, Stream::Stdout, "noise");
  add_line(result, Stream::Stderr, "ERROR :     Exit Code: 100");
  add_line(result, Stream::Stderr, "An important background thread has crashed.");
  const Verdict verdict = judge(scenario, result);
  EXPECT_TRUE(verdict.passed) << verdict.headline();
  ASSERT_EQ(verdict.marks.size(), 2u);
  EXPECT_EQ(verdict.marks[0].line, 2u);
  EXPECT_EQ(verdict.marks[1].line, 3u);
  EXPECT_EQ(verdict.marks[1].pattern, "crashed");
}

TEST(OrderedLines, AMissingLineNamesWhereItWasSearchedAndTheNearestLine) {
  Scenario scenario = expecting_exit(100);
  scenario.expect.stderr_lines = {"Starting", "Exit Code: 100"};
  RunResult result = exited(100);
  add_line(result, Stream::Stderr, "INFO :      Starting");
  add_line(result, Stream::Stderr, "ERROR :     Exit Code: 1");
  add_line(result, Stream::Stderr, "unrelated");
  const Verdict verdict = judge(scenario, result);
  ASSERT_EQ(verdict.failures.size(), 1u);
  const Failure& failure = verdict.failures[0];
  EXPECT_EQ(failure.expected, "stderr line matching /Exit Code: 100/ after line 1");
  EXPECT_EQ(failure.actual, "no such line among 2 lines of stderr after it");
  EXPECT_EQ(failure.nearest_line, 1u);
  EXPECT_EQ(failure.nearest_text, "ERROR :     Exit Code: 1");
  EXPECT_EQ(verdict.marks[1].line, std::nullopt);
}

TEST(OrderedLines, OutOfOrderLinesFailAndALineOnTheOtherStreamDoesNotCount) {
  Scenario scenario = expecting_exit(0);
  scenario.expect.stderr_lines = {"second", "first"};
  scenario.expect.stdout_lines = {"only on stderr"};
  RunResult result = exited(0);
  add_line(result, Stream::Stderr, "first");
  add_line(result, Stream::Stderr, "second");
  add_line(result, Stream::Stderr, "only on stderr");
  result.log.dropped_lines = 7;
  const Verdict verdict = judge(scenario, result);
  ASSERT_EQ(verdict.failures.size(), 2u);
  EXPECT_EQ(verdict.failures[0].text(),
            "expected stderr line matching /first/ after line 2, got no such line among 1 line of "
            "stderr after it (7 lines dropped from the middle)");
  EXPECT_EQ(verdict.failures[0].nearest_line, 0u);
  EXPECT_EQ(verdict.failures[1].text(),
            "expected stdout line matching /only on stderr/, got no such line among 0 lines of "
            "stdout (7 lines dropped from the middle)");
  EXPECT_EQ(verdict.failures[1].nearest_line, std::nullopt);
}

TEST(ForbiddenLines, FailNamingTheFirstLineThatMatches) {
  Scenario scenario = expecting_exit(100);
  scenario.expect.stderr_not = {"terminated gracefully", "absent"};
  scenario.expect.stdout_not = {"x"};
  RunResult result = exited(100);
  add_line(result, Stream::Stdout, "terminated gracefully");
  add_line(result, Stream::Stderr, "SuperLink terminated gracefully.");
  add_line(result, Stream::Stderr, "terminated gracefully again");
  const Verdict verdict = judge(scenario, result);
  ASSERT_EQ(verdict.failures.size(), 1u);
  EXPECT_EQ(verdict.headline(),
            "expected no stderr line matching /terminated gracefully/, got line 2 matches (and 1 "
            "more line): \"SuperLink terminated gracefully.\"");
  EXPECT_EQ(verdict.failures[0].nearest_line, 1u);
}

TEST(BadRegex, IsAFailureNotACrash) {
  Scenario scenario = expecting_exit(0);
  scenario.expect.stderr_lines = {"("};
  scenario.expect.stdout_not = {"["};
  const Verdict verdict = judge(scenario, exited(0));
  ASSERT_EQ(verdict.failures.size(), 2u);
  EXPECT_EQ(verdict.failures[0].text(),
            "expected stderr line matching /(/, got /(/ is not a valid RE2 pattern: missing ): (");
  EXPECT_EQ(verdict.failures[1].expected, "no stdout line matching /[/");
}

TEST(Leftovers, FailTheRunUnlessAllowed) {
  Scenario scenario = expecting_exit(0);
  RunResult result = exited(0);
  EXPECT_TRUE(judge(scenario, result).passed);
  result.leftovers = {"pid 41 (sleep)"};
  EXPECT_EQ(judge(scenario, result).headline(),
            "expected no process to outlive the target, got 1 process outlived it (killed by the "
            "harness): pid 41 (sleep)");
  scenario.expect.leftovers_allowed = true;
  EXPECT_TRUE(judge(scenario, result).passed);
}

TEST(Fired, ComparesTheSetOfSitesThatFiredIgnoringOff) {
  Scenario scenario = expecting_exit(100);
  scenario.failpoints = {{"scheduler.tick", "2*off->panic"}, {"rest.start", "panic"}};
  scenario.expect.fired = std::vector<std::string>{"scheduler.tick", "rest.start"};
  RunResult result = exited(100);
  result.journal = {firing("scheduler.tick", "off", 1), firing("rest.request", "return", 2),
                    firing("scheduler.tick", "panic", 3)};
  const Verdict verdict = judge(scenario, result);
  EXPECT_EQ(verdict.fired, (std::vector<std::string>{"rest.request", "scheduler.tick"}));
  EXPECT_EQ(verdict.armed_never_fired, std::vector<std::string>{"rest.start"});
  EXPECT_EQ(verdict.headline(),
            "expected exactly these failpoints to fire: rest.start, scheduler.tick, got fired: "
            "rest.request, scheduler.tick; expected but never fired: rest.start; fired but not "
            "expected: rest.request");

  scenario.expect.fired = std::vector<std::string>{};
  EXPECT_EQ(judge(scenario, result).headline(),
            "expected no failpoint to fire, got fired: rest.request, scheduler.tick; fired but "
            "not expected: rest.request, scheduler.tick");

  scenario.expect.fired = std::vector<std::string>{"rest.request", "scheduler.tick"};
  EXPECT_TRUE(judge(scenario, result).passed);
}

TEST(Within, MeasuresFromTheFirstFiringToTheExit) {
  Scenario scenario = expecting_exit(100);
  scenario.expect.within_ms = Millis{50};
  RunResult result = exited(100);
  result.journal = {firing("scheduler.tick", "off", 5'000'000'000),
                    firing("scheduler.tick", "panic", 5'060'000'000)};
  Verdict verdict = judge(scenario, result);
  EXPECT_TRUE(verdict.passed) << verdict.headline();
  EXPECT_EQ(verdict.fault_to_exit, Nanos{40'000'000});

  result.journal[1].mono_ns = 5'020'500'000;
  verdict = judge(scenario, result);
  EXPECT_EQ(verdict.headline(),
            "expected exit within 50 ms of the first firing (scheduler.tick), got exited 79.5 ms "
            "after it");
}

TEST(Within, MeasuresFromReadyWhenNothingFired) {
  Scenario scenario = expecting_exit(100);
  scenario.expect.within_ms = Millis{90};
  RunResult result = exited(100);  // ready 1 ms after spawn, exit 100 ms after spawn
  EXPECT_EQ(judge(scenario, result).headline(),
            "expected exit within 90 ms of ready (no failpoint fired), got exited 99.0 ms after "
            "it");
  result.ready_at.reset();
  EXPECT_EQ(judge(scenario, result).headline(),
            "expected exit within 90 ms of spawn (no failpoint fired, never ready, no output), got "
            "exited 100.0 ms after it");
  // A start-up slowed by many targets starting at once is not the target's reaction time: the
  // limit counts from its first line of output.
  LogLine first;
  first.at = std::chrono::milliseconds(5);
  first.text = "INFO :      Starting Flower SuperLink";
  result.log.head = {first};
  EXPECT_EQ(judge(scenario, result).headline(),
            "expected exit within 90 ms of the first output line (no failpoint fired, never "
            "ready), got exited 95.0 ms after it");
}

TEST(Events, CheckStatusAndBodyOfEveryResponse) {
  Scenario scenario = expecting_exit(100);
  Event create;
  create.action = RequestEvent{.route = "create-node"};
  create.count = 3;
  create.as<RequestEvent>()->expect_status = 200;
  create.expect_body = "^$";
  scenario.events = {create};
  RunResult result = exited(100);
  result.events = {{0, 0, Nanos{0}, 200, "", ""},
                   {0, 1, Nanos{0}, 500, "boom", ""},
                   {0, 2, Nanos{0}, std::nullopt, "", "connection refused"}};
  const Verdict verdict = judge(scenario, result);
  ASSERT_EQ(verdict.failures.size(), 3u);
  EXPECT_EQ(verdict.failures[0].text(),
            "expected events[0] (create-node) #2 to answer HTTP 200, got HTTP 500 \"boom\"");
  EXPECT_EQ(verdict.failures[1].text(),
            "expected events[0] (create-node) #2 to answer a body matching /^$/, got body "
            "\"boom\"");
  EXPECT_EQ(verdict.failures[2].text(),
            "expected events[0] (create-node) #3 to answer HTTP 200, got no answer: connection "
            "refused");
}

TEST(Events, FailWhenAnEventWithExpectationsWasNotSentEveryTime) {
  Scenario scenario = expecting_exit(100);
  Event ping;
  ping.action = RequestEvent{.route = "ping"};
  ping.count = 2;
  ping.as<RequestEvent>()->expect_status = 200;
  scenario.events = {ping};
  RunResult result = exited(100);
  result.events = {{0, 0, Nanos{0}, 200, "", ""}};
  EXPECT_EQ(judge(scenario, result).headline(),
            "expected events[0] (ping) sent 2 times, got sent 1 time");
}

TEST(Negative, PassesOnlyWhenTheFirstFailureMatchesTheMessage) {
  Scenario scenario = expecting_exit(3);
  scenario.negative = true;
  scenario.negative_message = "expected exit status 3, got exited with status 100";
  Verdict verdict = judge(scenario, exited(100));
  EXPECT_TRUE(verdict.passed);
  EXPECT_TRUE(verdict.inverted);
  EXPECT_EQ(verdict.headline(), "PASS");
  ASSERT_EQ(verdict.expected_failures.size(), 1u);

  verdict = judge(scenario, exited(3));
  EXPECT_FALSE(verdict.passed);
  EXPECT_EQ(verdict.headline(),
            "expected the expectations to fail (negative scenario), got every expectation held");

  scenario.negative_message = "killed";
  verdict = judge(scenario, exited(100));
  EXPECT_FALSE(verdict.passed);
  EXPECT_EQ(verdict.headline(),
            "expected a first failure matching /killed/ (negative scenario), got \"expected exit "
            "status 3, got exited with status 100\"");
}

}  // namespace
}  // namespace harness
