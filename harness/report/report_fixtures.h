// Hand-made scenario runs shared by the report tests: a crash that passed, and one that failed.
#pragma once

#include "harness/run_result.h"
#include "harness/scenario.h"
#include "harness/verdict.h"

namespace harness::test_support {

struct Fixture {
  Scenario scenario;
  RunResult result;
  Verdict verdict;
};

inline LogLine stderr_line(long ms, std::string text) {
  LogLine line;
  line.stream = Stream::Stderr;
  line.at = std::chrono::milliseconds(ms);
  line.raw = text;
  line.text = std::move(text);
  return line;
}

inline LogLine stdout_line(long ms, std::string text) {
  LogLine line = stderr_line(ms, std::move(text));
  line.stream = Stream::Stdout;
  return line;
}

inline Fixture tick_panic_passed() {
  Fixture f;
  f.scenario.name = "tick_panic";
  f.scenario.group = "scheduler";
  f.scenario.file = "scenarios/scheduler/tick_panic.toml";
  f.scenario.description = "Scheduler dies on its third tick; the SuperLink must exit 100.";
  f.scenario.failpoints = {{"scheduler.tick", "2*off->panic(database is locked)"}};
  f.result.argv = {"/b/bin/mock-superlink", "--insecure", "--ready-file", "/tmp/h-1/ready.json"};
  f.result.env = {{"FAILPOINTS", "scheduler.tick=2*off->panic(database is locked)"},
                  {"NO_COLOR", "1"}};
  f.result.end.kind = Termination::Kind::Exited;
  f.result.end.code = 100;
  f.result.ready = true;
  f.result.ready_at = std::chrono::milliseconds(30);
  f.result.exit_at = std::chrono::milliseconds(318);
  f.result.spawn_mono_ns = 1'000'000'000;
  f.result.exit_mono_ns = 1'318'000'000;
  f.result.wall = std::chrono::milliseconds(325);
  f.result.journal = {
      {1, "scheduler.tick", "off", "", "scheduler", 7, 1'105'000'000, 4242},
      {3, "scheduler.tick", "panic", "database is locked", "scheduler", 7, 1'306'000'000, 4242}};
  f.result.log.head = {stderr_line(2, "INFO :      Starting Flower SuperLink"),
                       stderr_line(306, "ERROR :     Exit Code: 100"),
                       stderr_line(307, "An important background thread has crashed.")};
  f.result.log.total_bytes = 114;
  f.verdict.passed = true;
  f.verdict.ending = "exited with status 100";
  f.verdict.expected_ending = "exit status 100";
  f.verdict.marks = {{Stream::Stderr, "Exit Code: 100", 1},
                     {Stream::Stderr, "An important background thread has crashed\\.", 2}};
  f.verdict.fired = {"scheduler.tick"};
  f.verdict.fault_to_exit = std::chrono::milliseconds(12);
  return f;
}

// The same scenario, but the target exited 0 after a graceful stop and never printed the code.
inline Fixture tick_panic_failed() {
  Fixture f = tick_panic_passed();
  f.result.end.code = 0;
  f.result.journal.resize(1);
  f.result.log.head = {stderr_line(2, "INFO :      Starting Flower SuperLink"),
                       stderr_line(306, "ERROR :     Exit Code: 10"),
                       stderr_line(307, "INFO :      SuperLink terminated gracefully.")};
  f.verdict.passed = false;
  f.verdict.ending = "exited with status 0";
  f.verdict.failures = {{"exit status 100", "exited with status 0", std::nullopt, ""},
                        {"stderr line matching /Exit Code: 100/",
                         "no such line in 3 lines of stderr", 1, "ERROR :     Exit Code: 10"}};
  f.verdict.marks = {{Stream::Stderr, "Exit Code: 100", std::nullopt}};
  f.verdict.fault_to_exit.reset();
  return f;
}

// Two events: a request sent twice from ready+10ms (answered, then refused while the target
// ran) and a SIGTERM after the firing that came too late.
inline void add_events(Fixture& f) {
  Event ping;
  ping.action = RequestEvent{.route = "ping"};
  ping.delay = std::chrono::milliseconds(10);
  ping.count = 2;
  Event term;
  term.at = Event::Anchor::Fired;
  term.fired_site = "scheduler.tick";
  term.action = SignalEvent{15};
  f.scenario.events = {ping, term};
  EventOutcome answered{0, 0, std::chrono::milliseconds(41), 200, "pong\x01", "", false, false};
  EventOutcome refused{
      0, 1, std::chrono::milliseconds(45), std::nullopt, "", "Connection refused", false, true};
  EventOutcome late{
      1, 0, std::chrono::milliseconds(318), std::nullopt, "", "target had exited", false, false};
  f.result.events = {answered, refused, late};
}

}  // namespace harness::test_support
