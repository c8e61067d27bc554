// The failpoint control events of a scenario file: arm, disarm, wait_paused, resume.
#include <gtest/gtest.h>

#include "harness/scenario_loader.h"
#include "scenario/scenario_requirements.h"

namespace harness {
namespace {

constexpr std::string_view kFile = "scenarios/races/x.toml";

// A valid file around `events`, with scheduler.tick armed so control events may name it.
std::string with_events(std::string_view events, std::string_view superlink = "") {
  return "description = \"d\"\n" + std::string(superlink) +
         "[failpoints]\n\"scheduler.tick\" = \"pause\"\n" + std::string(events) +
         "[expect]\nexit_code = 0\n";
}

std::string error_of(std::string_view toml) {
  try {
    load_scenario_text(toml, kFile);
  } catch (const ScenarioError& error) {
    return error.what();
  }
  return "(no error)";
}

using Kind = FailpointControl::Kind;

TEST(ControlEvents, ReadsEveryKind) {
  const Scenario s = load_scenario_text(with_events(R"toml(
[[events]]
arm = { site = "rest.request", actions = "1*off->panic(boom)" }
[[events]]
wait_paused = "scheduler.tick"
timeout_ms = 250
[[events]]
at = "fired:scheduler.tick+10ms"
resume = "scheduler.tick"
[[events]]
disarm = "rest.request"
[[events]]
wait_paused = "scheduler.tick"
)toml"),
                                        kFile);
  ASSERT_EQ(s.events.size(), 5u);
  for (const Event& event : s.events) {
    ASSERT_NE(event.as<FailpointControl>(), nullptr);
  }
  EXPECT_EQ(std::get<FailpointControl>(s.events[0].action).kind, Kind::Arm);
  EXPECT_EQ(std::get<FailpointControl>(s.events[0].action).site, "rest.request");
  EXPECT_EQ(std::get<FailpointControl>(s.events[0].action).actions, "1*off->panic(boom)");
  EXPECT_EQ(std::get<FailpointControl>(s.events[1].action).kind, Kind::WaitPaused);
  EXPECT_EQ(std::get<FailpointControl>(s.events[1].action).timeout, Millis{250});
  EXPECT_EQ(std::get<FailpointControl>(s.events[2].action).kind, Kind::Resume);
  EXPECT_EQ(s.events[2].at, Event::Anchor::Fired);
  EXPECT_EQ(s.events[2].delay, Millis{10});
  EXPECT_EQ(std::get<FailpointControl>(s.events[3].action).kind, Kind::Disarm);
  EXPECT_EQ(std::get<FailpointControl>(s.events[3].action).site, "rest.request");
  EXPECT_EQ(std::get<FailpointControl>(s.events[4].action).timeout,
            FailpointControl::kDefaultTimeout);
  EXPECT_EQ(FailpointControl::kDefaultTimeout, Millis{5000});
}

TEST(ControlEvents, ArmedSitesCountAndRequireFailpoints) {
  const Scenario s = load_scenario_text(
      "description = \"d\"\n[[events]]\narm = { site = \"rest.listen\", actions = \"off\" }\n"
      "[[events]]\nat = \"fired:rest.listen\"\nsignal = \"SIGTERM\"\n"
      "[expect]\nexit_code = 3\nfired = [\"rest.listen\"]\n",
      kFile);
  EXPECT_EQ(armed_sites(s), std::vector<std::string>{"rest.listen"});
  EXPECT_TRUE(needs_failpoints(s));
  // A control event alone (a custom target arming its own sites) requires failpoints too.
  const Scenario resume_only = load_scenario_text(
      "description = \"d\"\n[superlink]\ncommand = [\"t\"]\n[[events]]\nresume = \"own.site\"\n"
      "[expect]\nexit_code = 0\n",
      kFile);
  EXPECT_TRUE(armed_sites(resume_only).empty());
  EXPECT_TRUE(needs_failpoints(resume_only));
}

TEST(ControlEventErrors, OneThingPerEvent) {
  EXPECT_EQ(
      error_of(with_events("[[events]]\nsignal = 1\narm = { site = 'a', actions = 'off' }\n")),
      "scenarios/races/x.toml:6:1: 'events[0]' has both 'signal' and 'arm': an event does "
      "one thing");
  EXPECT_EQ(error_of(with_events("[[events]]\nwait_paused = 'scheduler.tick'\nresume = "
                                 "'scheduler.tick'\n")),
            "scenarios/races/x.toml:6:1: 'events[0]' has both 'wait_paused' and 'resume': an "
            "event does one thing");
  EXPECT_EQ(error_of(with_events("[[events]]\ntimeout_ms = 5\n")),
            "scenarios/races/x.toml:4:1: 'events[0]' needs one of request, grpc, signal, database, "
            "occupy, release, run, syscall, arm, disarm, wait_paused, resume");
}

TEST(ControlEventErrors, Arm) {
  EXPECT_EQ(error_of(with_events("[[events]]\narm = 'scheduler.tick'\n")),
            "scenarios/races/x.toml:5:7: 'events[0].arm' must be a table, not a string");
  EXPECT_EQ(
      error_of(with_events("[[events]]\narm = { site = 'scheduler.tick', action = 'off' }\n")),
      "scenarios/races/x.toml:5:34: unknown key 'action' in 'events[0].arm'; did you mean "
      "'actions'?");
  EXPECT_EQ(error_of(with_events("[[events]]\narm = { actions = 'off' }\n")),
            "scenarios/races/x.toml:5:7: 'events[0].arm' needs 'site', as in arm = { site = "
            "\"scheduler.tick\", actions = \"pause\" }");
  EXPECT_EQ(error_of(with_events("[[events]]\narm = { site = 'scheduler.tick' }\n")),
            "scenarios/races/x.toml:5:7: 'events[0].arm' needs 'actions', as in arm = { site = "
            "\"scheduler.tick\", actions = \"pause\" }");
  EXPECT_EQ(error_of(with_events("[[events]]\narm = { site = 'scheduler.tick', actions = 3 }\n")),
            "scenarios/races/x.toml:5:44: 'events[0].arm.actions' must be a string, not an "
            "integer");
  EXPECT_EQ(
      error_of(with_events("[[events]]\narm = { site = 'scheduler.tick', actions = 'panik' "
                           "}\n")),
      "scenarios/races/x.toml:5:44: failpoint 'scheduler.tick': unknown task 'panik' in "
      "action 'panik' (tasks: off, return, sleep, panic, print, pause, yield, delay, abort, segv, "
      "exit)");
}

TEST(ControlEventErrors, SiteNames) {
  EXPECT_EQ(error_of(with_events("[[events]]\narm = { site = 'a/b', actions = 'off' }\n")),
            "scenarios/races/x.toml:5:16: 'events[0].arm.site' is not a failpoint site: \"a/b\" "
            "(a site name is letters, digits, '.', '_' and '-')");
  EXPECT_EQ(error_of(with_events("[[events]]\ndisarm = ''\n")),
            "scenarios/races/x.toml:5:10: 'events[0].disarm' is not a failpoint site: \"\" (a "
            "site name is letters, digits, '.', '_' and '-')");
  EXPECT_EQ(error_of(with_events("[[events]]\nresume = 'outside.database'\n")),
            "scenarios/races/x.toml:5:10: 'events[0].resume' names 'outside.database', a fault "
            "the harness injects from outside: it has no failpoint to control");
  EXPECT_EQ(error_of(with_events("[[events]]\nwait_paused = 5\n")),
            "scenarios/races/x.toml:5:15: 'events[0].wait_paused' must be a string, not an "
            "integer");
}

TEST(ControlEventErrors, ControlledSitesMustBeArmed) {
  EXPECT_EQ(error_of(with_events("[[events]]\nwait_paused = 'scheduler.tik'\n")),
            "scenarios/races/x.toml:5:15: 'events[0].wait_paused' names 'scheduler.tik', which "
            "the scenario does not arm: nothing can pause there; did you mean "
            "'scheduler.tick'?");
  EXPECT_EQ(error_of(with_events("[[events]]\nsignal = 1\n[[events]]\nresume = 'rest.listen'\n")),
            "scenarios/races/x.toml:7:10: 'events[1].resume' names 'rest.listen', which the "
            "scenario does not arm: nothing can be paused there");
  EXPECT_EQ(error_of(with_events("[[events]]\ndisarm = 'rest.listen'\n")),
            "scenarios/races/x.toml:5:10: 'events[0].disarm' names 'rest.listen', which the "
            "scenario does not arm: there is nothing to disarm");
  // Armed by an arm event (later in the file counts too), or left to a negative scenario's run
  // or to a custom target.
  EXPECT_EQ(error_of(with_events("[[events]]\ndisarm = 'rest.listen'\n[[events]]\narm = { site "
                                 "= 'rest.listen', actions = 'off' }\n")),
            "(no error)");
  EXPECT_EQ(error_of("description = 'd'\nnegative = true\nnegative_message = 'x'\n[[events]]\n"
                     "wait_paused = 'rest.listen'\n[expect]\nexit_code = 0\n"),
            "(no error)");
}

TEST(ControlEventErrors, KeysThatDoNotApply) {
  EXPECT_EQ(error_of(with_events("[[events]]\nresume = 'scheduler.tick'\ntimeout_ms = 5\n")),
            "scenarios/races/x.toml:6:1: 'events[0].timeout_ms' only applies to a wait_paused "
            "event");
  EXPECT_EQ(error_of(with_events("[[events]]\nrequest = 'ping'\ntimeout_ms = 5\n")),
            "scenarios/races/x.toml:6:1: 'events[0].timeout_ms' only applies to a wait_paused "
            "event");
  EXPECT_EQ(error_of(with_events("[[events]]\nwait_paused = 'scheduler.tick'\ntimeout_ms = "
                                 "600001\n")),
            "scenarios/races/x.toml:6:14: 'events[0].timeout_ms' must be between 0 and 600000, "
            "not 600001");
  EXPECT_EQ(error_of(with_events("[[events]]\nresume = 'scheduler.tick'\ncount = 2\n")),
            "scenarios/races/x.toml:6:1: 'events[0].count' only applies to a request or signal "
            "event");
  EXPECT_EQ(error_of(with_events("[[events]]\nresume = 'scheduler.tick'\nexpect_status = 200\n")),
            "scenarios/races/x.toml:6:1: 'events[0].expect_status' only applies to a request "
            "event");
  EXPECT_EQ(error_of(with_events("[[events]]\nat = 'start'\nresume = 'scheduler.tick'\n",
                                 "[superlink]\ncommand = ['t']\nready_file = false\n")),
            "scenarios/races/x.toml:9:1: 'events[0].resume' needs a target that gets ready (its "
            "control endpoint serves by then), but 'superlink.ready' is \"none\"");
  EXPECT_EQ(error_of(with_events("[[events]]\nresme = 'scheduler.tick'\n")),
            "scenarios/races/x.toml:5:1: unknown key 'resme' in [[events]]; did you mean "
            "'resume'?");
}

}  // namespace
}  // namespace harness
