#include "harness/scenario_loader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <csignal>
#include <fstream>

#include "harness/line_match.h"
#include "scenario/scenario_requirements.h"

namespace harness {
namespace {

constexpr std::string_view kFile = "scenarios/scheduler/crash.toml";

// The smallest valid file, so each test adds only what it is about.
std::string with_basics(std::string_view rest) {
  return "description = \"d\"\n" + std::string(rest);
}

std::string error_of(std::string_view toml) {
  try {
    load_scenario_text(toml, kFile);
  } catch (const ScenarioError& error) {
    return error.what();
  }
  return "(no error)";
}

TEST(LoadScenario, ReadsEveryKey) {
  const Scenario s = load_scenario_text(R"toml(
description = "Scheduler dies on its third tick."
labels = ["crash", "scheduler"]
timeout_ms = 5000
seed = 42

[superlink]
command = ["/bin/target", "-v"]
isolation = "process"
fleet_api_type = "rest"
exit_status = "flower"
args = ["--database", "x.db"]
env = { FLWR_LOG_LEVEL = "DEBUG" }
ready_file = true

[failpoints]
"scheduler.tick" = "2*off->panic(database is locked)"

[setup]
occupy = ["fleet", "exec"]

[[events]]
at = "ready+250ms"
request = "create-node"
count = 3
method = "PUT"
headers = { Accept = "" }
body = "xx"
expect_status = 400
expect_body = "Missing header"

[[events]]
at = "start+1s"
signal = "TERM"

[expect]
exit_code = 100
within_ms = 500
stderr = ['Exit Code: 100', 'crashed\.']
stdout = ['out']
stderr_not = ['terminated gracefully']
stdout_not = ['x']
fired = ["scheduler.tick"]
)toml",
                                        kFile);
  EXPECT_EQ(s.name, "crash");
  EXPECT_EQ(s.group, "scheduler");
  EXPECT_EQ(s.file, kFile);
  EXPECT_EQ(s.description, "Scheduler dies on its third tick.");
  EXPECT_EQ(s.labels, (std::vector<std::string>{"crash", "scheduler"}));
  EXPECT_EQ(s.timeout, Millis{5000});
  EXPECT_EQ(s.seed, 42u);
  EXPECT_FALSE(s.negative);
  EXPECT_EQ(s.superlink.command, (std::vector<std::string>{"/bin/target", "-v"}));
  EXPECT_EQ(s.superlink.isolation, "process");
  EXPECT_EQ(s.superlink.fleet_api_type, "rest");
  EXPECT_EQ(s.superlink.exit_status, "flower");
  EXPECT_EQ(s.superlink.args, (std::vector<std::string>{"--database", "x.db"}));
  EXPECT_EQ(s.superlink.env, (std::map<std::string, std::string>{{"FLWR_LOG_LEVEL", "DEBUG"}}));
  EXPECT_EQ(s.superlink.ready, Readiness::File);
  EXPECT_EQ(
      s.failpoints,
      (std::map<std::string, std::string>{{"scheduler.tick", "2*off->panic(database is locked)"}}));
  EXPECT_EQ(s.setup.occupy, (std::vector<std::string>{"fleet", "exec"}));
  ASSERT_EQ(s.events.size(), 2u);
  EXPECT_EQ(s.events[0].at, Event::Anchor::Ready);
  EXPECT_EQ(s.events[0].delay, Millis{250});
  EXPECT_EQ(std::get<RequestEvent>(s.events[0].action).route, "create-node");
  EXPECT_EQ(s.events[0].count, 3);
  EXPECT_EQ(std::get<RequestEvent>(s.events[0].action).method, "PUT");
  EXPECT_EQ(std::get<RequestEvent>(s.events[0].action).headers,
            (std::map<std::string, std::string>{{"Accept", ""}}));
  EXPECT_EQ(std::get<RequestEvent>(s.events[0].action).body, "xx");
  EXPECT_EQ(std::get<RequestEvent>(s.events[0].action).expect_status, 400);
  EXPECT_EQ(s.events[0].expect_body, "Missing header");
  EXPECT_EQ(s.events[1].at, Event::Anchor::Start);
  EXPECT_EQ(s.events[1].delay, Millis{1000});
  EXPECT_EQ(std::get<SignalEvent>(s.events[1].action).signal, SIGTERM);
  EXPECT_EQ(s.events[1].as<RequestEvent>(), nullptr);
  EXPECT_EQ(s.expect.exit_code, 100);
  EXPECT_EQ(s.expect.within_ms, Millis{500});
  EXPECT_EQ(s.expect.stderr_lines, (std::vector<std::string>{"Exit Code: 100", "crashed\\."}));
  EXPECT_EQ(s.expect.stdout_lines, std::vector<std::string>{"out"});
  EXPECT_EQ(s.expect.stderr_not, std::vector<std::string>{"terminated gracefully"});
  EXPECT_EQ(s.expect.stdout_not, std::vector<std::string>{"x"});
  EXPECT_EQ(s.expect.fired, std::vector<std::string>{"scheduler.tick"});
}

TEST(LoadScenario, AppliesDefaults) {
  const Scenario s = load_scenario_text(with_basics("[[events]]\nsignal = 15\n[expect]\n"
                                                    "still_running = true\n"),
                                        "top.toml");
  EXPECT_EQ(s.name, "top");
  EXPECT_EQ(s.group, "");
  EXPECT_EQ(s.timeout, Millis{10000});
  EXPECT_EQ(s.seed, std::nullopt);
  EXPECT_EQ(s.superlink.isolation, "subprocess");
  EXPECT_EQ(s.superlink.fleet_api_type, "grpc-rere");
  EXPECT_EQ(s.superlink.exit_status, "");
  EXPECT_TRUE(s.superlink.command.empty());
  EXPECT_EQ(s.events[0].at, Event::Anchor::Ready);
  EXPECT_EQ(s.events[0].delay, Millis{0});
  EXPECT_EQ(s.events[0].count, 1);
  EXPECT_EQ(RequestEvent().method, "POST");  // a request's, when it names none
  EXPECT_EQ(s.expect.hold, Millis{500});
  EXPECT_EQ(s.expect.fired, std::nullopt);
}

TEST(LoadScenario, AGrpcMessageNamesTheRunsNodeAndKey) {
  const Scenario s = load_scenario_text(
      with_basics("[superlink]\nflower_version = \"1.26\"\n"
                  "[[events]]\ngrpc = \"RegisterNode\"\n"
                  "message = '{\"publicKey\": \"{public_key}\"}'\n"
                  "[[events]]\ngrpc = \"ActivateNode\"\n"
                  "message = '{\"publicKey\": \"{public_key}\", \"heartbeatInterval\": 30}'\n"
                  "[[events]]\ngrpc = \"UnregisterNode\"\nmessage = '{\"nodeId\": \"{node_id}\"}'\n"
                  "[expect]\nstill_running = true\n"),
      kFile);
  ASSERT_EQ(s.events.size(), 3U);
  // The placeholders stay for the run to fill; they fit the fields they stand in.
  EXPECT_EQ(std::get<GrpcEvent>(s.events[0].action).message, R"({"publicKey": "{public_key}"})");
  EXPECT_EQ(std::get<GrpcEvent>(s.events[0].action).request_type, "RegisterNodeFleetRequest");
  EXPECT_EQ(std::get<GrpcEvent>(s.events[2].action).message, R"({"nodeId": "{node_id}"})");
  // Where a number is expected, the key is no number.
  EXPECT_THAT(
      error_of(with_basics("[superlink]\nflower_version = \"1.26\"\n"
                           "[[events]]\ngrpc = \"UnregisterNode\"\n"
                           "message = '{\"nodeId\": \"{public_key}\"}'\n"
                           "[expect]\nstill_running = true\n")),
      ::testing::HasSubstr("'events[0].message' is not a flwr.proto.UnregisterNodeFleetRequest"));
}

TEST(LoadScenario, ReadsANegativeScenario) {
  const Scenario s = load_scenario_text(
      with_basics("negative = true\nnegative_message = 'exit status 3'\n[expect]\nexit_code = 3\n"),
      kFile);
  EXPECT_TRUE(s.negative);
  EXPECT_EQ(s.negative_message, "exit status 3");
}

TEST(LoadScenarioErrors, ReportsTomlSyntaxErrorsWithTheirPosition) {
  EXPECT_EQ(error_of("description = \"d\nx = 1\n"),
            "scenarios/scheduler/crash.toml:1:17: Error while parsing string: unescaped control "
            "characters other than TAB (U+0009) are explicitly prohibited");
}

TEST(LoadScenarioErrors, NamesAMissingDescriptionOrExpect) {
  EXPECT_EQ(error_of("[expect]\nexit_code = 0\n"),
            "scenarios/scheduler/crash.toml:1:1: missing key 'description': say in one sentence "
            "what the scenario pins");
  EXPECT_EQ(error_of(with_basics("")),
            "scenarios/scheduler/crash.toml:1:1: missing [expect]: say how the run must end "
            "(exit_code, signal or still_running = true)");
  EXPECT_EQ(error_of("description = \"\"\n[expect]\nexit_code = 0\n"),
            "scenarios/scheduler/crash.toml:1:15: 'description' is empty");
}

TEST(LoadScenarioErrors, SuggestsTheNearestKnownKey) {
  EXPECT_EQ(error_of(with_basics("[expect]\nexit_cod = 100\n")),
            "scenarios/scheduler/crash.toml:3:1: unknown key 'exit_cod' in [expect]; did you mean "
            "'exit_code'?");
  EXPECT_EQ(error_of(with_basics("timeout = 5\n[expect]\nexit_code = 0\n")),
            "scenarios/scheduler/crash.toml:2:1: unknown key 'timeout' at top level; did you mean "
            "'timeout_ms'?");
  EXPECT_EQ(error_of(with_basics("[superlnk]\n[expect]\nexit_code = 0\n")),
            "scenarios/scheduler/crash.toml:2:2: unknown key 'superlnk' at top level; did you "
            "mean 'superlink'?");
  EXPECT_EQ(error_of(with_basics("[[events]]\nsignal = 1\nrepeat = 2\n[expect]\nexit_code = 0\n")),
            "scenarios/scheduler/crash.toml:4:1: unknown key 'repeat' in [[events]] (known: at, "
            "request, signal, database, occupy, release, run, syscall, arm, disarm, wait_paused, "
            "resume, timeout_ms, count, method, headers, body, expect_status, expect_body, "
            "background, grpc, message, sign, "
            "expect_code)");
  EXPECT_EQ(error_of(with_basics("[setup]\noccupied = []\n[expect]\nexit_code = 0\n")),
            "scenarios/scheduler/crash.toml:3:1: unknown key 'occupied' in [setup]; did you mean "
            "'occupy'?");
}

TEST(LoadScenarioErrors, NamesTheWrongType) {
  EXPECT_EQ(error_of(with_basics("timeout_ms = \"10\"\n[expect]\nexit_code = 0\n")),
            "scenarios/scheduler/crash.toml:2:14: 'timeout_ms' must be an integer, not a string");
  EXPECT_EQ(error_of(with_basics("labels = [\"a\", 2]\n[expect]\nexit_code = 0\n")),
            "scenarios/scheduler/crash.toml:2:16: 'labels[1]' must be a string, not an integer");
  EXPECT_EQ(error_of(with_basics("superlink = 3\n[expect]\nexit_code = 0\n")),
            "scenarios/scheduler/crash.toml:2:13: 'superlink' must be a table, not an integer");
  EXPECT_EQ(error_of(with_basics("[superlink]\nenv = { A = 1 }\n[expect]\nexit_code = 0\n")),
            "scenarios/scheduler/crash.toml:3:13: 'superlink.env.A' must be a string, not an "
            "integer");
  EXPECT_EQ(error_of(with_basics("[expect]\nstill_running = 1\n")),
            "scenarios/scheduler/crash.toml:3:17: 'expect.still_running' must be a boolean, not "
            "an integer");
  EXPECT_EQ(error_of(with_basics("[expect]\nexit_code = 1.5\n")),
            "scenarios/scheduler/crash.toml:3:13: 'expect.exit_code' must be an integer, not a "
            "float");
  EXPECT_EQ(error_of(with_basics("events = 1\n[expect]\nexit_code = 0\n")),
            "scenarios/scheduler/crash.toml:2:10: 'events' must be an array of tables "
            "([[events]]), not an integer");
}

TEST(LoadScenarioErrors, NamesBadNumbers) {
  EXPECT_EQ(error_of(with_basics("timeout_ms = 0\n[expect]\nexit_code = 0\n")),
            "scenarios/scheduler/crash.toml:2:14: 'timeout_ms' must be between 1 and 3600000, "
            "not 0");
  EXPECT_EQ(error_of(with_basics("seed = -1\n[expect]\nexit_code = 0\n")),
            "scenarios/scheduler/crash.toml:2:8: 'seed' must be >= 0, not -1");
  EXPECT_EQ(error_of(with_basics("[expect]\nexit_code = 256\n")),
            "scenarios/scheduler/crash.toml:3:13: 'expect.exit_code' must be between 0 and 255, "
            "not 256");
  EXPECT_EQ(error_of(with_basics("[[events]]\nsignal = 1\ncount = 0\n[expect]\nexit_code = 0\n")),
            "scenarios/scheduler/crash.toml:4:9: 'events[0].count' must be between 1 and 100000, "
            "not 0");
  EXPECT_EQ(
      error_of(with_basics(
          "[[events]]\nrequest = 'ping'\nexpect_status = 99\n[expect]\nexit_code = 0\n")),
      "scenarios/scheduler/crash.toml:4:17: 'events[0].expect_status' must be an HTTP status (100 "
      "to 599), not 99");
}

TEST(LoadScenarioErrors, NamesBadChoices) {
  EXPECT_EQ(error_of(with_basics("[superlink]\nisolation = \"thread\"\n[expect]\nexit_code = 0\n")),
            "scenarios/scheduler/crash.toml:3:13: 'superlink.isolation' must be \"subprocess\" or "
            "\"process\", not \"thread\"");
  EXPECT_EQ(
      error_of(with_basics("[superlink]\nfleet_api_type = \"grpc\"\n[expect]\nexit_code = 0\n")),
      "scenarios/scheduler/crash.toml:3:18: 'superlink.fleet_api_type' must be "
      "\"grpc-rere\", \"grpc-adapter\" or \"rest\", not \"grpc\"");
  EXPECT_EQ(
      error_of(with_basics("[setup]\noccupy = ['fleet', 'fleet']\n[expect]\nexit_code = 0\n")),
      "scenarios/scheduler/crash.toml:3:20: 'setup.occupy[1]' repeats \"fleet\"");
  EXPECT_EQ(error_of(with_basics("[setup]\noccupy = ['db']\n[expect]\nexit_code = 0\n")),
            "scenarios/scheduler/crash.toml:3:11: 'setup.occupy[0]' must be \"fleet\", "
            "\"serverappio\" or \"exec\", not \"db\"");
  EXPECT_EQ(error_of(with_basics(
                "[[events]]\nrequest = 'ping'\nmethod = 'get'\n[expect]\nexit_code = 0\n")),
            "scenarios/scheduler/crash.toml:4:10: 'events[0].method' must be \"GET\", \"POST\", "
            "\"PUT\", \"DELETE\", \"PATCH\", \"HEAD\" or \"OPTIONS\", not \"get\"");
}

TEST(LoadScenarioErrors, NamesBadSignals) {
  EXPECT_EQ(error_of(with_basics("[expect]\nsignal = \"SIGFOO\"\n")),
            "scenarios/scheduler/crash.toml:3:10: 'expect.signal' is not a signal: \"SIGFOO\" "
            "(write \"SIGTERM\", \"TERM\" or a number from 1 to 64)");
  EXPECT_EQ(error_of(with_basics("[[events]]\nsignal = 99\n[expect]\nexit_code = 0\n")),
            "scenarios/scheduler/crash.toml:3:10: 'events[0].signal' is not a signal: \"99\" "
            "(write \"SIGTERM\", \"TERM\" or a number from 1 to 64)");
  EXPECT_EQ(error_of(with_basics("[expect]\nsignal = true\n")),
            "scenarios/scheduler/crash.toml:3:10: 'expect.signal' must be a signal name or "
            "number, not a boolean");
}

TEST(LoadScenarioErrors, NamesBadRoutesAndAnchors) {
  EXPECT_EQ(
      error_of(with_basics("[[events]]\nrequest = 'crate-node'\n[expect]\nexit_code = 0\n")),
      "scenarios/scheduler/crash.toml:3:11: 'events[0].request' is not a route or a request path: "
      "\"crate-node\"; did you mean 'create-node'?");
  EXPECT_EQ(error_of(with_basics("[[events]]\nrequest = 'status'\n[expect]\nexit_code = 0\n")),
            "scenarios/scheduler/crash.toml:3:11: 'events[0].request' is not a route or a request "
            "path: \"status\" "
            "(known: create-node, delete-node, pull-messages, push-messages, ping, get-run, "
            "get-fab, register-node, activate-node, deactivate-node, unregister-node, "
            "pull-object, push-object, send-node-heartbeat, confirm-message-received, raw/<path>, "
            "or a path from /)");
  EXPECT_EQ(error_of(with_basics("[[events]]\nrequest = 'raw/'\n[expect]\nexit_code = 0\n")),
            "scenarios/scheduler/crash.toml:3:11: 'events[0].request' is not a route or a request "
            "path: \"raw/\" "
            "(known: create-node, delete-node, pull-messages, push-messages, ping, get-run, "
            "get-fab, register-node, activate-node, deactivate-node, unregister-node, "
            "pull-object, push-object, send-node-heartbeat, confirm-message-received, raw/<path>, "
            "or a path from /)");
  for (const char* at : {"soon", "ready+", "ready+5", "ready+xms", "start-1s", "ready+99999999s"}) {
    EXPECT_EQ(error_of(with_basics("[[events]]\nat = '" + std::string(at) +
                                   "'\nsignal = 1\n[expect]\nexit_code = 0\n")),
              "scenarios/scheduler/crash.toml:3:6: 'events[0].at' must be \"spawn\", \"start\", "
              "\"ready\", \"fired:SITE\" or \"line:REGEX\", optionally followed by +<N>ms or +<N>s "
              "(as in "
              "\"ready+250ms\"), not \"" +
                  std::string(at) + "\"");
  }
  EXPECT_EQ(error_of(with_basics("[[events]]\nat = 'fired:rest.request'\nsignal = 1\n"
                                 "[expect]\nexit_code = 0\n")),
            "scenarios/scheduler/crash.toml:3:6: 'events[0].at' waits for 'rest.request' to fire, "
            "but [failpoints] does not arm it");
  const Scenario fired = load_scenario_text(
      with_basics("[failpoints]\n'rest.request' = 'pause'\n[[events]]\n"
                  "at = 'fired:rest.request+50ms'\nsignal = 'SIGTERM'\n[expect]\nexit_code = 3\n"),
      kFile);
  EXPECT_EQ(fired.events[0].at, Event::Anchor::Fired);
  EXPECT_EQ(fired.events[0].fired_site, "rest.request");
  EXPECT_EQ(fired.events[0].delay, Millis{50});
  for (const auto& [text, anchor] :
       {std::pair{"spawn", Event::Anchor::Spawn}, std::pair{"start+1s", Event::Anchor::Start},
        std::pair{"ready", Event::Anchor::Ready}}) {
    const Scenario s = load_scenario_text(with_basics(std::string("[[events]]\nat = '") + text +
                                                      "'\nsignal = 15\n[expect]\nexit_code = 3\n"),
                                          kFile);
    EXPECT_EQ(s.events[0].at, anchor) << text;
  }
  const Scenario raw = load_scenario_text(
      with_basics("[[events]]\nrequest = 'raw/api/v0/x'\n[expect]\nexit_code = 0\n"), kFile);
  EXPECT_EQ(std::get<RequestEvent>(raw.events[0].action).route, "raw/api/v0/x");
}

TEST(LoadScenarioErrors, NamesWhatRE2CannotTakeAtTheConstruct) {
  // Literal strings sit byte for byte in the file: the column is the construct's own.
  EXPECT_EQ(error_of(with_basics("[expect]\nexit_code = 0\nstderr = ['(x) \\1']\n")),
            "scenarios/scheduler/crash.toml:4:16: 'expect.stderr[0]' is not a valid RE2 pattern "
            "/(x) \\1/: back-reference \\1: RE2 has no back-references");
  EXPECT_EQ(error_of(with_basics("[expect]\nexit_code = 0\nstderr_not = ['ok(?=!)']\n")),
            "scenarios/scheduler/crash.toml:4:18: 'expect.stderr_not[0]' is not a valid RE2 "
            "pattern /ok(?=!)/: look-ahead (?=: RE2 has no look-around");
  EXPECT_EQ(error_of(with_basics("[expect]\nexit_code = 0\nstdout = ['(?<!x)y']\n")),
            "scenarios/scheduler/crash.toml:4:12: 'expect.stdout[0]' is not a valid RE2 pattern "
            "/(?<!x)y/: look-behind (?<!: RE2 has no look-around");
  EXPECT_EQ(error_of(with_basics("[expect]\nexit_code = 0\nstdout_not = ['a++']\n")),
            "scenarios/scheduler/crash.toml:4:17: 'expect.stdout_not[0]' is not a valid RE2 "
            "pattern /a++/: possessive repetition ++: RE2 has none");
  // A basic string with escapes does not map one to one: the position is the string's.
  EXPECT_EQ(error_of(with_basics("[expect]\nexit_code = 0\nstderr = [\"\\\\d (?=x)\"]\n")),
            "scenarios/scheduler/crash.toml:4:11: 'expect.stderr[0]' is not a valid RE2 pattern "
            "/\\d (?=x)/: look-ahead (?=: RE2 has no look-around");
}

TEST(LoadScenarioErrors, BoundsPatternSizeAndRepetitionCounts) {
  // RE2 bounds repetition counts itself (std::regex overflowed on huge ones, found by the fuzzer).
  EXPECT_EQ(error_of(with_basics("[expect]\nexit_code = 0\nstderr = ['a{2,99999}']\n")),
            "scenarios/scheduler/crash.toml:4:13: 'expect.stderr[0]' is not a valid RE2 pattern "
            "/a{2,99999}/: invalid repetition size: {2,99999}");
  const std::string huge(kMaxPatternBytes + 1, 'a');
  EXPECT_EQ(error_of(with_basics("[expect]\nexit_code = 0\nstderr = ['" + huge + "']\n")),
            "scenarios/scheduler/crash.toml:4:4108: 'expect.stderr[0]' is not a valid RE2 pattern "
            "/" +
                std::string(80, 'a') + "... (4097 bytes)/: the pattern is 4097 bytes, over 4096");
}

TEST(LoadScenario, ReadsWhetherLeftoversAreAllowed) {
  EXPECT_FALSE(
      load_scenario_text(with_basics("[expect]\nexit_code = 0\n"), kFile).expect.leftovers_allowed);
  EXPECT_TRUE(
      load_scenario_text(with_basics("[expect]\nexit_code = 0\nleftovers = 'allowed'\n"), kFile)
          .expect.leftovers_allowed);
  EXPECT_EQ(error_of(with_basics("[expect]\nexit_code = 0\nleftovers = 'ok'\n")),
            "scenarios/scheduler/crash.toml:4:13: 'expect.leftovers' must be \"fail\" or "
            "\"allowed\", not \"ok\"");
}

TEST(LoadScenario, ReadsRequirementsAndImpliesFailpoints) {
  const Scenario explicit_req = load_scenario_text(
      with_basics("requires = ['failpoints']\n[expect]\nexit_code = 0\n"), kFile);
  EXPECT_EQ(explicit_req.requirements, std::vector<std::string>{"failpoints"});
  EXPECT_TRUE(needs_failpoints(explicit_req));
  EXPECT_FALSE(
      needs_failpoints(load_scenario_text(with_basics("[expect]\nexit_code = 0\n"), kFile)));
  const Scenario by_flag = load_scenario_text(
      with_basics("[superlink]\nargs = ['--failpoint', 'rest.start=panic;rest.listen = off']\n"
                  "[expect]\nexit_code = 100\nfired = ['rest.start']\n"),
      kFile);
  EXPECT_EQ(armed_sites(by_flag), (std::vector<std::string>{"rest.listen", "rest.start"}));
  EXPECT_TRUE(needs_failpoints(by_flag));
  // Outside faults are the harness's own: expecting one needs no failpoints in the target.
  EXPECT_FALSE(needs_failpoints(
      load_scenario_text(with_basics("[[events]]\noccupy = 'fleet'\n[expect]\nexit_code = 0\n"
                                     "fired = ['outside.occupy.fleet']\n"),
                         kFile)));
  EXPECT_EQ(error_of(with_basics("requires = ['gpu']\n[expect]\nexit_code = 0\n")),
            "scenarios/scheduler/crash.toml:2:13: 'requires[0]' must be \"failpoints\" or "
            "\"syscall-faults\", not \"gpu\"");
}

TEST(LoadScenarioErrors, RefusesFiredSitesTheScenarioNeverArms) {
  EXPECT_EQ(error_of(with_basics("[failpoints]\n'scheduler.tick' = 'panic'\n"
                                 "[expect]\nexit_code = 100\nfired = ['scheduler.tik']\n")),
            "scenarios/scheduler/crash.toml:6:10: 'expect.fired[0]' names 'scheduler.tik', which "
            "the scenario does not arm: it can never fire; did you mean 'scheduler.tick'?");
  // A negative scenario is wrong on purpose: the run-time check is what it proves.
  EXPECT_EQ(error_of(with_basics("negative = true\nnegative_message = 'x'\n[failpoints]\n"
                                 "'scheduler.tick' = 'panic'\n[expect]\nexit_code = 100\n"
                                 "fired = ['rest.request']\n")),
            "(no error)");
}

TEST(LoadScenarioErrors, NamesBadRegexes) {
  EXPECT_EQ(error_of(with_basics("[expect]\nexit_code = 0\nstderr = ['ok', '(unclosed']\n")),
            "scenarios/scheduler/crash.toml:4:18: 'expect.stderr[1]' is not a valid RE2 pattern "
            "/(unclosed/: missing ): (unclosed");
  EXPECT_EQ(
      error_of(with_basics(
          "[[events]]\nrequest = 'ping'\nexpect_body = '['\n[expect]\nexit_code = 0\n")),
      "scenarios/scheduler/crash.toml:4:16: 'events[0].expect_body' is not a valid RE2 pattern "
      "/[/: missing ]: [");
}

TEST(LoadScenarioErrors, RejectsImpossibleCombinations) {
  EXPECT_EQ(error_of(with_basics("[expect]\nexit_code = 1\nsignal = 'SIGABRT'\n")),
            "scenarios/scheduler/crash.toml:4:1: 'expect.signal' cannot be combined with "
            "'expect.exit_code': a run ends one way");
  EXPECT_EQ(error_of(with_basics("[expect]\nexit_code = 1\nstill_running = true\n")),
            "scenarios/scheduler/crash.toml:4:1: 'expect.still_running' cannot be combined with "
            "'expect.exit_code': a run ends one way");
  EXPECT_EQ(error_of(with_basics("[expect]\nsignal = 6\nstill_running = true\n")),
            "scenarios/scheduler/crash.toml:4:1: 'expect.still_running' cannot be combined with "
            "'expect.signal': a run ends one way");
  EXPECT_EQ(error_of(with_basics("[expect]\nstill_running = false\n")),
            "scenarios/scheduler/crash.toml:2:1: [expect] needs one of 'exit_code', 'signal' or "
            "'still_running = true'");
  EXPECT_EQ(error_of(with_basics("[expect]\nstill_running = true\nwithin_ms = 5\n")),
            "scenarios/scheduler/crash.toml:4:1: 'expect.within_ms' cannot be combined with "
            "'expect.still_running': a target that stays up has no exit to time");
  EXPECT_EQ(error_of(with_basics("[expect]\nexit_code = 0\nhold_ms = 5\n")),
            "scenarios/scheduler/crash.toml:4:1: 'expect.hold_ms' only applies with "
            "'expect.still_running = true'");
  EXPECT_EQ(
      error_of(with_basics("[[events]]\nrequest = 'ping'\nsignal = 1\n[expect]\nexit_code = 0\n")),
      "scenarios/scheduler/crash.toml:4:1: 'events[0]' has both 'request' and 'signal': an "
      "event does one thing");
  EXPECT_EQ(error_of(with_basics("[[events]]\ncount = 2\n[expect]\nexit_code = 0\n")),
            "scenarios/scheduler/crash.toml:2:1: 'events[0]' needs one of request, grpc, signal, "
            "database, occupy, release, run, syscall, arm, disarm, wait_paused, resume");
  EXPECT_EQ(error_of(with_basics("[[events]]\nsignal = 1\nexpect_status = 200\n[expect]\n"
                                 "exit_code = 0\n")),
            "scenarios/scheduler/crash.toml:4:1: 'events[0].expect_status' only applies to a "
            "request event");
  EXPECT_EQ(error_of(with_basics("[[events]]\nsignal = 1\nbackground = true\n[expect]\n"
                                 "exit_code = 0\n")),
            "scenarios/scheduler/crash.toml:4:1: 'events[0].background' only applies to a "
            "request event");
  EXPECT_EQ(error_of(with_basics("[[events]]\nrequest = 'ping'\nbackground = 'yes'\n[expect]\n"
                                 "exit_code = 0\n")),
            "scenarios/scheduler/crash.toml:4:14: 'events[0].background' must be a boolean, not "
            "a string");
  EXPECT_EQ(error_of(with_basics("[superlink]\nready_file = false\n[[events]]\nsignal = 1\n"
                                 "[expect]\nexit_code = 0\n")),
            "scenarios/scheduler/crash.toml:4:1: 'events[0]' waits for \"ready\" but the target "
            "is never ready (superlink.ready = \"none\"; use at = \"start\", \"start+<N>ms\" "
            "or \"line:REGEX\")");
  EXPECT_EQ(error_of(with_basics("negative = true\n[expect]\nexit_code = 0\n")),
            "scenarios/scheduler/crash.toml:2:1: 'negative = true' needs 'negative_message', the "
            "regex the first failure must match");
  EXPECT_EQ(error_of(with_basics("negative_message = 'x'\n[expect]\nexit_code = 0\n")),
            "scenarios/scheduler/crash.toml:2:1: 'negative_message' only applies with "
            "'negative = true'");
}

TEST(LoadScenarioErrors, ExplainsUnquotedFailpointSites) {
  EXPECT_EQ(
      error_of(with_basics("[failpoints]\nscheduler.tick = 'panic'\n[expect]\nexit_code = 0\n")),
      "scenarios/scheduler/crash.toml:3:1: failpoint site 'scheduler' is a table: quote "
      "site names that contain dots, as in \"scheduler.tick\" = \"panic\"");
  EXPECT_EQ(error_of(with_basics("[failpoints]\n'a.b' = 3\n[expect]\nexit_code = 0\n")),
            "scenarios/scheduler/crash.toml:3:9: 'failpoints.\"a.b\"' must be a string, not an "
            "integer");
}

TEST(LoadScenarioErrors, ReportsFailpointGrammarErrorsAtTheValue) {
  EXPECT_EQ(
      error_of(with_basics("[failpoints]\n'scheduler.tick' = '2*'\n[expect]\nexit_code = 0\n")),
      "scenarios/scheduler/crash.toml:3:20: failpoint 'scheduler.tick': missing task in action "
      "'2*'");
}

TEST(LoadScenarioFile, ReadsAFileAndNamesAMissingOne) {
  const auto dir = std::filesystem::path(::testing::TempDir()) / "loader_test" / "rest";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "bind.toml") << with_basics("[expect]\nexit_code = 100\n");
  const Scenario s = load_scenario(dir / "bind.toml");
  EXPECT_EQ(s.name, "bind");
  EXPECT_EQ(s.group, "rest");
  EXPECT_EQ(s.file, (dir / "bind.toml").string());

  try {
    load_scenario(dir / "absent.toml");
    FAIL() << "no error";
  } catch (const ScenarioError& error) {
    EXPECT_EQ(std::string(error.what()),
              (dir / "absent.toml").string() + ": cannot read: No such file or directory");
  }
}

TEST(FindScenarios, WalksFoldersRecursivelyAndSorts) {
  const auto root = std::filesystem::path(::testing::TempDir()) / "find_test";
  std::filesystem::remove_all(root);
  std::filesystem::create_directories(root / "b" / "deep");
  std::filesystem::create_directories(root / "a");
  for (const char* file : {"b/deep/z.toml", "b/y.toml", "a/x.toml", "a/notes.md"}) {
    std::ofstream(root / file) << "";
  }
  const auto found = find_scenarios({root / "b", root / "a", root / "b" / "y.toml"});
  EXPECT_EQ(found, (std::vector<std::filesystem::path>{root / "a/x.toml", root / "b/deep/z.toml",
                                                       root / "b/y.toml"}));
  try {
    find_scenarios({root / "nope"});
    FAIL() << "no error";
  } catch (const ScenarioError& error) {
    EXPECT_EQ(std::string(error.what()), (root / "nope").string() + ": no such file or folder");
  }
}

}  // namespace
}  // namespace harness

namespace harness {
namespace {

TEST(LoadScenario, ReadsOutsideFaultsAndAbsolutePaths) {
  const Scenario scenario = load_scenario_text(
      with_basics("[superlink]\ndatabase = 'file'\n"
                  "[[events]]\ndatabase = 'lock'\n"
                  "[[events]]\nat = 'fired:outside.database.lock+1s'\ndatabase = 'unlock'\n"
                  "[[events]]\noccupy = 'exec'\n[[events]]\nrelease = 'exec'\n"
                  "[[events]]\nrun = ['sh', '-c', 'true']\ncount = 2\n"
                  "[[events]]\nrequest = '/nope'\n"
                  "[expect]\nexit_code = 0\nfired = ['outside.database.lock', 'outside.run']\n"),
      kFile);
  EXPECT_EQ(scenario.superlink.database, "file");
  ASSERT_EQ(scenario.events.size(), 6u);
  EXPECT_EQ(std::get<DatabaseEvent>(scenario.events[0].action).fault, "lock");
  EXPECT_EQ(scenario.events[1].fired_site, "outside.database.lock");
  EXPECT_EQ(std::get<OccupyEvent>(scenario.events[2].action).port, "exec");
  EXPECT_EQ(std::get<ReleaseEvent>(scenario.events[3].action).port, "exec");
  EXPECT_EQ(std::get<RunEvent>(scenario.events[4].action).argv,
            (std::vector<std::string>{"sh", "-c", "true"}));
  EXPECT_EQ(scenario.events[4].count, 2);
  EXPECT_EQ(std::get<RequestEvent>(scenario.events[5].action).route, "/nope");
  EXPECT_EQ(outside_site(scenario.events[1]), "outside.database.unlock");
  EXPECT_EQ(outside_site(scenario.events[5]), std::nullopt);
  // Outside faults need no failpoints: an off build runs them.
  EXPECT_FALSE(needs_failpoints(scenario));
  EXPECT_EQ(load_scenario_text(with_basics("[expect]\nexit_code = 0\n"), kFile).superlink.database,
            "memory");
}

TEST(LoadScenarioErrors, NamesBadOutsideFaults) {
  const std::string file_db = "[superlink]\ndatabase = 'file'\n";
  EXPECT_EQ(error_of(with_basics("[superlink]\ndatabase = 'disk'\n[expect]\nexit_code = 0\n")),
            "scenarios/scheduler/crash.toml:3:12: 'superlink.database' must be \"memory\" or "
            "\"file\", not \"disk\"");
  EXPECT_EQ(error_of(with_basics("[[events]]\ndatabase = 'lock'\n[expect]\nexit_code = 0\n")),
            "scenarios/scheduler/crash.toml:3:12: 'events[0].database' needs "
            "'superlink.database = \"file\"': without it the run has no database file to damage");
  EXPECT_EQ(error_of(with_basics(file_db + "[[events]]\ndatabase = 'smash'\n[expect]\n"
                                           "exit_code = 0\n")),
            "scenarios/scheduler/crash.toml:5:12: 'events[0].database' must be \"corrupt\", "
            "\"truncate\", \"lock\", \"unlock\" or \"remove\", not \"smash\"");
  EXPECT_EQ(error_of(with_basics(file_db + "[[events]]\ndatabase = 'unlock'\n[expect]\n"
                                           "exit_code = 0\n")),
            "scenarios/scheduler/crash.toml:5:12: 'events[0].database' unlocks, but no earlier "
            "event locks the database");
  EXPECT_EQ(error_of(with_basics(file_db + "[[events]]\ndatabase = 'lock'\n[[events]]\n"
                                           "database = 'lock'\n[expect]\nexit_code = 0\n")),
            "scenarios/scheduler/crash.toml:7:12: 'events[1].database' locks the database "
            "again: the harness holds the lock of events[0] (unlock it first)");
  EXPECT_EQ(error_of(with_basics(file_db + "[[events]]\ndatabase = 'lock'\ncount = 2\n[expect]\n"
                                           "exit_code = 0\n")),
            "scenarios/scheduler/crash.toml:6:1: 'events[0].count' does not apply to "
            "'database': the fault is done once (write another event to do it again)");
  EXPECT_EQ(error_of(with_basics("[[events]]\noccupy = 'flet'\n[expect]\nexit_code = 0\n")),
            "scenarios/scheduler/crash.toml:3:10: 'events[0].occupy' must be \"fleet\", "
            "\"serverappio\" or \"exec\", not \"flet\"");
  EXPECT_EQ(error_of(with_basics("[[events]]\nrelease = 'fleet'\n[expect]\nexit_code = 0\n")),
            "scenarios/scheduler/crash.toml:3:11: 'events[0].release' gives back \"fleet\", "
            "which no earlier event occupies");
  EXPECT_EQ(error_of(with_basics("[[events]]\noccupy = 'fleet'\n[[events]]\noccupy = 'fleet'\n"
                                 "[expect]\nexit_code = 0\n")),
            "scenarios/scheduler/crash.toml:5:10: 'events[1].occupy' takes \"fleet\" again: "
            "events[0] holds it");
  EXPECT_EQ(error_of(with_basics("[[events]]\nrun = []\n[expect]\nexit_code = 0\n")),
            "scenarios/scheduler/crash.toml:3:7: 'events[0].run' is empty");
  EXPECT_EQ(error_of(with_basics("[[events]]\nrun = ['true']\nsignal = 1\n[expect]\n"
                                 "exit_code = 0\n")),
            "scenarios/scheduler/crash.toml:3:1: 'events[0]' has both 'signal' and 'run': an "
            "event does one thing");
  EXPECT_EQ(error_of(with_basics("[[events]]\nrun = ['true']\nmethod = 'GET'\n[expect]\n"
                                 "exit_code = 0\n")),
            "scenarios/scheduler/crash.toml:4:1: 'events[0].method' only applies to a request "
            "event");
  // outside.* sites: names of outside faults only, and done by an event.
  EXPECT_EQ(error_of(with_basics("[expect]\nexit_code = 0\nfired = ['outside.databse.lock']\n")),
            "scenarios/scheduler/crash.toml:4:10: 'expect.fired[0]' names "
            "'outside.databse.lock', which is not an outside fault; did you mean "
            "'outside.database.lock'?");
  EXPECT_EQ(error_of(with_basics("[expect]\nexit_code = 0\nfired = ['outside.run']\n")),
            "scenarios/scheduler/crash.toml:4:10: 'expect.fired[0]' names 'outside.run', which "
            "no event of the scenario does: it can never fire");
  EXPECT_EQ(error_of(with_basics("[[events]]\nat = 'fired:outside.run'\nrun = ['true']\n"
                                 "[expect]\nexit_code = 0\n")),
            "scenarios/scheduler/crash.toml:3:6: 'events[0].at' waits for 'outside.run', which "
            "no earlier event does");
  EXPECT_EQ(error_of(with_basics("[[events]]\nat = 'fired:outside.nope'\nrun = ['true']\n"
                                 "[expect]\nexit_code = 0\n")),
            "scenarios/scheduler/crash.toml:3:6: 'events[0].at' waits for 'outside.nope', which "
            "is not an outside fault; did you mean 'outside.run'?");
}

}  // namespace
}  // namespace harness
