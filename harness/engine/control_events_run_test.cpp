// Failpoint control events against the real mock and its control endpoint: what each does,
// how a failure fails the run, and that a parked thread never outlasts the deadline's stop.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "default_binaries.h"
#include "harness/run.h"
#include "harness/verdict.h"
#include "report/report_json.h"
#include "report/report_text.h"
#include "report/report_text_parts.h"
#include "scenario/event_text.h"
#include "target_command.h"
#include "verdict/scenario_outcome.h"

namespace harness {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::SizeIs;
using namespace std::chrono_literals;
using Kind = FailpointControl::Kind;

Event control(Kind kind, std::string site, std::string actions = "") {
  Event event;
  event.action = FailpointControl{kind, std::move(site), std::move(actions),
                                  FailpointControl::kDefaultTimeout};
  return event;
}

Scenario mock_scenario(std::map<std::string, std::string> failpoints, std::vector<Event> events) {
  Scenario scenario;
  scenario.name = "control";
  scenario.failpoints = std::move(failpoints);
  scenario.events = std::move(events);
  scenario.timeout = 10s;
  return scenario;
}

RunResult run_mock(const Scenario& scenario) {
  RunOptions options;
  options.mock_binary = MOCK_SUPERLINK;
  return run_scenario(scenario, options);
}

TEST(ControlEventsRun, PauseWaitResumeThenTheNextTickPanics) {
  Scenario scenario = mock_scenario(
      {{"scheduler.tick", "1*pause->panic(after resume)"}},
      {control(Kind::WaitPaused, "scheduler.tick"), control(Kind::Resume, "scheduler.tick")});
  scenario.expect.exit_code = 100;
  const RunResult result = run_mock(scenario);
  EXPECT_THAT(result.argv, Contains("--failpoint-control"));
  EXPECT_TRUE(result.addresses.contains("failpoint_control"));
  ASSERT_THAT(result.events, SizeIs(2));
  EXPECT_THAT(result.events[0].did, MatchesRegex("paused after [0-9]+ ms"));
  EXPECT_EQ(result.events[1].did, "resumed 1 thread");
  for (const EventOutcome& outcome : result.events) {
    EXPECT_EQ(outcome.error, "");
    EXPECT_FALSE(outcome.unsent);
  }
  const Verdict verdict = judge(scenario, result);
  EXPECT_TRUE(verdict.passed) << verdict.headline();
  EXPECT_THAT(describe_outcome(result.events[1]),
              MatchesRegex("done at \\+[0-9.]+ m?s: resumed 1 thread"));
}

// A request parked in the REST thread is in flight while the events after it run: without
// `background` the wait for its answer would hold up the wait_paused that must release it.
TEST(ControlEventsRun, ABackgroundRequestInFlightLetsTheNextEventsRun) {
  Event request;
  request.action = RequestEvent{.route = "create-node"};
  request.background = true;
  request.as<RequestEvent>()->expect_status = 200;
  Scenario scenario = mock_scenario(
      {{"rest.request", "1*pause"}},
      {request, control(Kind::WaitPaused, "rest.request"), control(Kind::Resume, "rest.request")});
  scenario.superlink.fleet_api_type = "rest";
  scenario.expect.still_running = true;
  scenario.expect.hold = Millis{0};
  const RunResult result = run_mock(scenario);
  ASSERT_THAT(result.events, SizeIs(3));
  EXPECT_EQ(result.events[0].event, 0u);  // the outcomes keep the events' order
  EXPECT_EQ(result.events[0].status, 200) << result.events[0].error;
  EXPECT_THAT(result.events[1].did, MatchesRegex("paused after [0-9]+ ms"));
  EXPECT_EQ(result.events[2].did, "resumed 1 thread");
  EXPECT_TRUE(judge(scenario, result).passed) << judge(scenario, result).headline();
  EXPECT_EQ(describe_event(scenario.events[0]), "request create-node (background)");
}

TEST(ControlEventsRun, ArmAndDisarmSayWhatTheyDid) {
  Scenario scenario =
      mock_scenario({}, {control(Kind::Arm, "rest.request", "panic(never)"),
                         control(Kind::Disarm, "rest.request"),
                         control(Kind::Arm, "scheduler.tick", "panic(armed at run time)")});
  scenario.expect.exit_code = 100;
  const RunResult result = run_mock(scenario);
  ASSERT_THAT(result.events, SizeIs(3));
  EXPECT_EQ(result.events[0].did, "armed rest.request=panic(never)");
  EXPECT_EQ(result.events[1].did, "disarmed rest.request");
  EXPECT_EQ(result.events[2].did, "armed scheduler.tick=panic(armed at run time)");
  EXPECT_TRUE(judge(scenario, result).passed) << judge(scenario, result).headline();
}

TEST(ControlEventsRun, WaitPausedThatTimesOutFailsTheRunNamingTheSite) {
  Event wait = control(Kind::WaitPaused, "scheduler.launch");
  wait.as<FailpointControl>()->timeout = 200ms;
  Event term;
  term.action = SignalEvent{SIGTERM};
  Scenario scenario = mock_scenario({{"scheduler.launch", "pause"}}, {wait, term});
  scenario.expect.still_running = true;
  scenario.expect.hold = Millis{0};
  const RunResult result = run_mock(scenario);
  ASSERT_THAT(result.events, SizeIs(2));
  EXPECT_EQ(result.events[0].error,
            "wait_paused: no thread paused at 'scheduler.launch' within 200 ms");
  EXPECT_TRUE(result.events[0].unsent);
  EXPECT_EQ(result.events[1].error, "an earlier event failed");  // the signal was never sent
  EXPECT_EQ(describe_outcome(result.events[1]), "not done: an earlier event failed");
  EXPECT_EQ(result.end.kind, Termination::Kind::StillRunning);
  const Verdict verdict = judge(scenario, result);
  EXPECT_FALSE(verdict.passed);
  EXPECT_EQ(verdict.headline(),
            "expected events[0] (wait_paused scheduler.launch) #1 to be done, got not done: "
            "wait_paused: no thread paused at 'scheduler.launch' within 200 ms");
}

// A resume that released nothing did not do what the scenario meant: it fails the event, as a
// request that cannot be sent does.
TEST(ControlEventsRun, AResumeThatReleasesNoThreadFailsTheEvent) {
  Scenario scenario = mock_scenario({}, {control(Kind::Resume, "scheduler.tick")});
  scenario.expect.still_running = true;
  scenario.expect.hold = Millis{0};
  const RunResult result = run_mock(scenario);
  ASSERT_THAT(result.events, SizeIs(1));
  EXPECT_EQ(result.events[0].error,
            "resume: no thread was paused at 'scheduler.tick' (resumed 0 threads)");
  EXPECT_TRUE(result.events[0].unsent);
  EXPECT_FALSE(judge(scenario, result).passed);
}

// wait_paused is done when the thread paused: its time is the end of the wait, after the
// pause's own sleep before it.
TEST(ControlEventsRun, AWaitIsDoneWhenItEnds) {
  Scenario scenario = mock_scenario(
      {{"scheduler.tick", "1*sleep(300)->1*pause->panic(x)"}},
      {control(Kind::WaitPaused, "scheduler.tick"), control(Kind::Resume, "scheduler.tick")});
  scenario.expect.exit_code = 100;
  const RunResult result = run_mock(scenario);
  ASSERT_THAT(result.events, SizeIs(2));
  EXPECT_EQ(result.events[0].error, "");
  // The pause came after a 300 ms sleep in the first tick: the wait ended after that, however
  // early it was asked for.
  EXPECT_GE(result.events[0].at, Nanos(300ms));
  EXPECT_GE(result.events[1].at, result.events[0].at);
}

TEST(ControlEventsRun, AnUnknownSiteIsTheEndpointsRefusal) {
  // The loader cannot know a custom build's sites; the endpoint's 404 fails the run.
  Scenario scenario = mock_scenario({}, {control(Kind::Arm, "nope.site", "panic")});
  scenario.expect.still_running = true;
  scenario.expect.hold = Millis{0};
  const RunResult result = run_mock(scenario);
  ASSERT_THAT(result.events, SizeIs(1));
  EXPECT_THAT(result.events[0].error,
              HasSubstr("arm nope.site=panic: HTTP 404 failpoint 'nope.site': unknown site"));
  EXPECT_TRUE(result.events[0].unsent);
  EXPECT_FALSE(judge(scenario, result).passed);
}

TEST(ControlEventsRun, AParkedThreadDoesNotOutlastTheDeadlinesSigterm) {
  // Never resumed: the deadline's SIGTERM ends the target within the grace, no SIGKILL needed.
  Scenario scenario =
      mock_scenario({{"scheduler.tick", "pause"}}, {control(Kind::WaitPaused, "scheduler.tick")});
  scenario.timeout = 5000ms;  // from the spawn: time for a loaded machine to start and park
  scenario.expect.exit_code = 3;
  const RunResult result = run_mock(scenario);
  ASSERT_THAT(result.events, SizeIs(1));
  EXPECT_THAT(result.events[0].did, MatchesRegex("paused after [0-9]+ ms"));
  EXPECT_EQ(result.end.kind, Termination::Kind::TimedOut);
  EXPECT_FALSE(result.end.ignored_sigterm);
  EXPECT_EQ(result.end.code, 3);  // the mock's graceful SIGTERM exit
}

TEST(ControlEventsTarget, OnlyAScenarioWithControlEventsGetsTheEndpoint) {
  Scenario plain;
  const TargetCommand without = build_target_command(plain, RunOptions{}, "/w", {});
  EXPECT_EQ(std::count(without.argv.begin(), without.argv.end(), "--failpoint-control"), 0);

  Scenario controlled;
  controlled.events = {control(Kind::Resume, "scheduler.tick")};
  const TargetCommand mock =
      build_target_command(controlled, RunOptions{}, "/w", {{"control", 21050}});
  const auto flag = std::find(mock.argv.begin(), mock.argv.end(), "--failpoint-control");
  ASSERT_NE(flag, mock.argv.end());
  ASSERT_NE(flag + 1, mock.argv.end());
  EXPECT_EQ(*(flag + 1), "127.0.0.1:21050");  // the port the harness allocated for it
  EXPECT_FALSE(mock.env.contains("SUPERLINK_FAILPOINT_CONTROL"));

  controlled.superlink.command = {"/bin/target"};
  const TargetCommand custom =
      build_target_command(controlled, RunOptions{}, "/w", {{"control", 21050}});
  EXPECT_THAT(custom.argv, ElementsAre("/bin/target"));
  EXPECT_EQ(custom.env.at("SUPERLINK_FAILPOINT_CONTROL"), "127.0.0.1:21050");
}

TEST(ControlEventsReport, TextAndJsonSayWhatEachEventDid) {
  Scenario scenario = mock_scenario({}, {control(Kind::Arm, "scheduler.tick", "pause"),
                                         control(Kind::WaitPaused, "scheduler.tick")});
  scenario.expect.exit_code = 0;
  EXPECT_EQ(describe_event(scenario.events[0]), "arm scheduler.tick=pause");
  EXPECT_EQ(describe_event(scenario.events[1]), "wait_paused scheduler.tick");
  RunResult result;
  result.end.kind = Termination::Kind::Exited;
  result.end.code = 0;
  EventOutcome armed;
  armed.event = 0;
  armed.at = 40ms;
  armed.did = "armed scheduler.tick=pause";
  EventOutcome waited;
  waited.event = 1;
  waited.at = 41ms;
  waited.error = "wait_paused: no thread paused at 'scheduler.tick' within 5000 ms";
  waited.unsent = true;
  result.events = {armed, waited};
  const Verdict verdict = judge(scenario, result);
  const std::string text = full_report(scenario, result, verdict, TextReportOptions{});
  EXPECT_THAT(text, HasSubstr("events[0] arm scheduler.tick=pause at ready: done at +40 ms: "
                              "armed scheduler.tick=pause\n"));
  EXPECT_THAT(text, HasSubstr("events[1] wait_paused scheduler.tick at ready: not done at "
                              "+41 ms: wait_paused: no thread paused at 'scheduler.tick' "
                              "within 5000 ms (fails the run)\n"));
  const std::string json = json_report({ScenarioOutcome{scenario, result, verdict, 0}});
  EXPECT_THAT(json, HasSubstr("\"what\":\"arm scheduler.tick=pause\""));
  EXPECT_THAT(json, HasSubstr("\"did\":\"armed scheduler.tick=pause\""));
  EXPECT_THAT(json, HasSubstr("\"did\":null"));
}

}  // namespace
}  // namespace harness
