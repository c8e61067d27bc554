// run_scenario against real processes: the misbehaving targets of harness/targets.
#include "harness/run.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <future>
#include <thread>

#include "harness/verdict.h"
#include "marked_processes.h"
#include "output_capture.h"
#include "process_containment.h"
#include "process_pidfd.h"
#include "test_support/removal.h"

namespace harness {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::MatchesRegex;
using ::testing::Optional;
using ::testing::Pair;
using ::testing::SizeIs;
using namespace std::chrono_literals;

class RunTest : public ::testing::Test {
 protected:
  // Every test must leave nothing behind: no process that inherited this test's marker.
  void SetUp() override { ::setenv("SUPERLINK_TEST_MARKER", marker_.c_str() + kMarkerName, 1); }
  void TearDown() override { EXPECT_THAT(marked_survivors(marker_, 5s), IsEmpty()); }

  Scenario fake(std::vector<std::string> steps, Millis timeout = 10s) {
    Scenario scenario;
    scenario.name = "fake";
    scenario.superlink.command = {FAKE_TARGET};
    scenario.superlink.args = std::move(steps);
    scenario.timeout = timeout;
    return scenario;
  }

  // An event that sends SIGUSR1 once the anchor is reached, `delay` later.
  static Event sigusr1_at(Event::Anchor at, Millis delay = Millis{0}) {
    Event event;
    event.at = at;
    event.delay = delay;
    event.action = SignalEvent{SIGUSR1};
    return event;
  }

  RunResult run(const Scenario& scenario, RunOptions options = {}) {
    return run_scenario(scenario, options);
  }

  // A target writes `bytes` to stderr, then one line, then exits 7: the run's facts stay right
  // and the harness's peak memory grows by less than the budget's bound.
  void flood_keeps_memory_bounded(std::uint64_t bytes, std::size_t budget,
                                  std::chrono::seconds timeout);

  static constexpr std::size_t kMarkerName = sizeof "SUPERLINK_TEST_MARKER=" - 1;
  const std::string marker_ = "SUPERLINK_TEST_MARKER=run_test-" + std::to_string(::getpid());
};

TEST_F(RunTest, RecordsTheExitCodeAndTheOutputOfEachStream) {
  std::vector<std::string> live;
  RunOptions options;
  options.on_line = [&](const LogLine& line) { live.push_back(line.text); };
  const RunResult result = run(fake({"print", "err", "\x1b[91mERROR \x1b[0m:     boom", "print",
                                     "out", "to stdout", "partial", "no newline", "exit", "3"}),
                               options);
  EXPECT_FALSE(result.harness_error);
  EXPECT_EQ(result.end.kind, Termination::Kind::Exited);
  EXPECT_EQ(result.end.code, 3);
  EXPECT_FALSE(result.ready);  // never wrote the ready file
  EXPECT_TRUE(result.leftovers.empty());
  // The two pipes are read independently: order holds within a stream, not across them.
  std::vector<LogLine> err;
  std::vector<LogLine> out;
  for (const LogLine& line : result.log.head) {
    (line.stream == Stream::Stderr ? err : out).push_back(line);
  }
  ASSERT_THAT(err, SizeIs(2));
  EXPECT_EQ(err[0].raw, "\x1b[91mERROR \x1b[0m:     boom");
  EXPECT_EQ(err[0].text, "ERROR :     boom");
  EXPECT_EQ(err[1].text, "no newline");
  ASSERT_THAT(out, SizeIs(1));
  EXPECT_EQ(out[0].text, "to stdout");
  EXPECT_THAT(live, Contains("no newline"));
  EXPECT_GT(result.exit_mono_ns, result.spawn_mono_ns);
  EXPECT_THAT(result.env, Contains(Pair("SUPERLINK_READY_FILE", HasSubstr("/ready.json"))));
  // The temp work dir goes: the harness's janitor removes it while the next run starts.
  const std::filesystem::path ready = result.env.at("SUPERLINK_READY_FILE");
  EXPECT_TRUE(
      superlink::test_support::removed_within(ready.parent_path(), std::chrono::seconds(10)));
}

TEST_F(RunTest, RecordsTheSignalThatKilledTheTarget) {
  const RunResult result = run(fake({"signal", std::to_string(SIGABRT)}));
  EXPECT_EQ(result.end.kind, Termination::Kind::Signaled);
  EXPECT_EQ(result.end.signal, SIGABRT);
  EXPECT_FALSE(result.end.core_dumped);
}

TEST_F(RunTest, AHangingTargetTimesOutAndStopsOnSigterm) {
  RunOptions options;
  options.grace = 5000ms;
  const RunResult result = run(fake({"hang"}, 300ms), options);
  EXPECT_EQ(result.end.kind, Termination::Kind::TimedOut);
  EXPECT_EQ(result.end.signal, SIGTERM);
  EXPECT_FALSE(result.end.ignored_sigterm);
  ASSERT_TRUE(result.exit_at);
  EXPECT_GE(*result.exit_at, 300ms);
  EXPECT_LT(*result.exit_at, 5000ms);
}

TEST_F(RunTest, ATargetThatIgnoresSigtermIsKilledAfterTheGrace) {
  RunOptions options;
  // The deadline leaves the target time to ignore SIGTERM first: under TSan on a loaded machine
  // it and its run init can take a second or more to start.
  options.grace = 200ms;
  const RunResult result = run(fake({"ignore-term", "hang"}, 5000ms), options);
  EXPECT_EQ(result.end.kind, Termination::Kind::TimedOut);
  EXPECT_EQ(result.end.signal, SIGKILL);
  EXPECT_TRUE(result.end.ignored_sigterm);
  ASSERT_TRUE(result.exit_at);
  EXPECT_GE(*result.exit_at, 5200ms);
}

// A flood keeps the harness flat: head and tail within the budget, the middle counted.
void expect_bounded_flood(const RunResult& result, std::uint64_t bytes, std::size_t budget) {
  EXPECT_EQ(result.end.kind, Termination::Kind::Exited);
  EXPECT_EQ(result.end.code, 7);
  std::size_t kept = 0;
  for (const auto* part : {&result.log.head, &result.log.tail}) {
    for (const LogLine& line : *part) kept += line.raw.size() + line.text.size();
  }
  EXPECT_LE(kept, budget);
  EXPECT_GT(result.log.dropped_lines, 0u);
  EXPECT_GT(result.log.dropped_bytes, 0u);
  // The flood writes whole 100-byte lines.
  EXPECT_EQ(result.log.total_bytes, bytes / 100 * 100 + std::string("after the flood\n").size());
  ASSERT_FALSE(result.log.tail.empty());
  EXPECT_EQ(result.log.tail.back().text, "after the flood");
}

// Sanitizers hold freed memory in quarantine, so peak RSS says nothing about the harness there.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kRssIsMeaningful = false;
#else
constexpr bool kRssIsMeaningful = true;
#endif

long max_rss_kib() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

void RunTest::flood_keeps_memory_bounded(std::uint64_t bytes, std::size_t budget,
                                         std::chrono::seconds timeout) {
  RunOptions options;
  options.log_budget_bytes = budget;
  const long before = max_rss_kib();
  const RunResult result = run(
      fake({"flood", "err", std::to_string(bytes), "print", "err", "after the flood", "exit", "7"},
           timeout),
      options);
  expect_bounded_flood(result, bytes, options.log_budget_bytes);
  if (kRssIsMeaningful) {
    EXPECT_LT(max_rss_kib() - before, 32 * 1024) << "KiB of peak RSS growth";
  }
}

TEST_F(RunTest, AFloodOfOutputKeepsMemoryBounded) {
  flood_keeps_memory_bounded(256ull << 20, 1 << 20, 120s);
}

// ctest label `slow` (see CMakeLists.txt).
TEST_F(RunTest, DISABLED_AGibibyteFloodKeepsMemoryBounded) {
  flood_keeps_memory_bounded(1ull << 30, 4 << 20, 600s);
}

// Every shape of byte stream stays within the budget: lines are charged their slot, not only
// their bytes, and a line without end is cut.
struct StreamShape {
  std::string streams;  // out, err, both
  std::string shape;    // fake-target spew: empty, one-byte, no-newline, binary
  std::uint64_t bytes;  // per stream
};

void PrintTo(const StreamShape& p, std::ostream* os) {
  *os << p.bytes << " bytes of " << p.shape << " on " << p.streams;
}

class StreamShapes : public RunTest, public ::testing::WithParamInterface<StreamShape> {};

TEST_P(StreamShapes, KeepMemoryBounded) {
  const StreamShape& p = GetParam();
  RunOptions options;  // the default 4 MiB budget
  const long before = max_rss_kib();
  // The empty `print` ends a line the spew left open, so the last line stands on its own.
  const RunResult result = run(fake({"spew", p.streams, p.shape, std::to_string(p.bytes), "print",
                                     "err", "", "print", "err", "after the flood", "exit", "7"},
                                    600s),
                               options);
  EXPECT_EQ(result.end.kind, Termination::Kind::Exited);
  EXPECT_EQ(result.end.code, 7);
  std::size_t kept = 0;
  bool last_line_kept = false;
  for (const auto* part : {&result.log.head, &result.log.tail}) {
    for (const LogLine& line : *part) {
      kept += OutputCapture::cost(line);
      last_line_kept = last_line_kept || line.text == "after the flood";
    }
  }
  EXPECT_LE(kept, options.log_budget_bytes);
  EXPECT_TRUE(last_line_kept);
  const std::uint64_t streams = p.streams == "both" ? 2 : 1;
  EXPECT_EQ(result.log.total_bytes, p.bytes * streams + std::string("\nafter the flood\n").size());
  EXPECT_GT(result.log.dropped_bytes, 0u);
  if (kRssIsMeaningful) {
    EXPECT_LT(max_rss_kib() - before, 32 * 1024) << "KiB of peak RSS growth";
  }
}

std::string shape_name(const ::testing::TestParamInfo<StreamShape>& info) {
  std::string name = info.param.streams + "_" + info.param.shape;
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
}

std::vector<StreamShape> every_shape(std::uint64_t bytes) {
  std::vector<StreamShape> shapes;
  for (const char* shape : {"empty", "one-byte", "no-newline", "binary"}) {
    shapes.push_back({"err", shape, bytes});
  }
  shapes.push_back({"both", "empty", bytes});
  shapes.push_back({"both", "binary", bytes});
  return shapes;
}

// 8 MiB of empty lines took 1.3 GB of RSS when an empty line cost nothing.
INSTANTIATE_TEST_SUITE_P(EightMebibytes, StreamShapes, ::testing::ValuesIn(every_shape(8 << 20)),
                         shape_name);
// ctest label `slow` (see CMakeLists.txt); the numbers in docs/robustness.md.
INSTANTIATE_TEST_SUITE_P(DISABLED_Gibibyte, StreamShapes,
                         ::testing::ValuesIn(every_shape(1ull << 30)), shape_name);

// The deadline bounds the run whatever the target writes or answers: it ends by the deadline
// plus two graces (SIGTERM -> SIGKILL, then the wait for the pipes' EOF). The 5 s on top is a
// sanity margin for a loaded machine, not a measurement. The deadline counts from the spawn, so
// it leaves a sanitizer build on a loaded machine the time to start and answer first.
class DeadlineTest : public RunTest {
 protected:
  static constexpr Millis kDeadline{5000};
  static constexpr Millis kGrace{300};

  RunResult run_bounded(const Scenario& scenario) {
    RunOptions options;
    options.grace = kGrace;
    RunResult result = run(scenario, options);
    EXPECT_EQ(result.end.kind, Termination::Kind::TimedOut);
    EXPECT_LT(result.wall, kDeadline + 2 * kGrace + 5s);
    return result;
  }

  // The request gives up at the run's deadline, the moment the harness stops the target: either
  // may come first. On a loaded machine the events thread may wake after the run has already
  // stopped the target and ended: the request is then cut by the run's end, also at the deadline.
  const ::testing::Matcher<std::string> kCutAtTheDeadline =
      ::testing::AnyOf("timed out waiting for the response", "truncated chunked body",
                       "connection closed without a response", "the run ended first");

  // fake-http-target with one request to `route` once it is ready.
  Scenario http(const std::string& route) {
    Scenario scenario;
    scenario.superlink.command = {FAKE_HTTP_TARGET};
    scenario.timeout = kDeadline;
    Event event;
    event.action = RequestEvent{.route = route};
    scenario.events = {event};
    return scenario;
  }
};

TEST_F(DeadlineTest, ANewlineFloodEndsAtTheDeadline) {
  const RunResult result = run_bounded(fake({"spew", "both", "empty", "1099511627776"}, kDeadline));
  EXPECT_GT(result.log.dropped_lines, 0u);
}

TEST_F(DeadlineTest, AnEndlessAnswerIsCutAndTheRunEndsAtTheDeadline) {
  const RunResult result = run_bounded(http("endless"));
  ASSERT_THAT(result.events, SizeIs(1));
  EXPECT_THAT(result.events[0].status, Optional(200));
  EXPECT_EQ(result.events[0].body, std::string(64 * 1024, 'e'));
  EXPECT_TRUE(result.events[0].body_cut);
  EXPECT_EQ(result.events[0].error, "");
}

TEST_F(DeadlineTest, AServerThatNeverAnswersEndsAtTheDeadline) {
  const RunResult result = run_bounded(http("silent"));
  ASSERT_THAT(result.events, SizeIs(1));
  EXPECT_FALSE(result.events[0].status);
  EXPECT_THAT(result.events[0].error, kCutAtTheDeadline);
}

TEST_F(DeadlineTest, AnAnswerThatTricklesEndsAtTheDeadline) {
  const RunResult result = run_bounded(http("trickle"));
  ASSERT_THAT(result.events, SizeIs(1));
  EXPECT_THAT(result.events[0].status, Optional(200));
  // One byte a second, cut at the deadline (a byte of slack for where the cut falls).
  EXPECT_LE(result.events[0].body.size(), static_cast<std::size_t>(kDeadline / 1s) + 1);
  EXPECT_THAT(result.events[0].error, kCutAtTheDeadline);
}

TEST_F(RunTest, AnOverlongLineIsCutAndCounted) {
  const RunResult result = run(fake({"long-line", std::to_string(1 << 20)}));
  ASSERT_THAT(result.log.head, SizeIs(1));
  EXPECT_EQ(result.log.head[0].raw.size(), 64u * 1024);
  EXPECT_EQ(result.log.dropped_bytes, (1u << 20) - 64u * 1024);
}

TEST_F(RunTest, GrandchildrenAreKilledAndListed) {
  const RunResult result = run(fake({"children", "2", "setsid-children", "1", "exit", "0"}));
  EXPECT_EQ(result.end.kind, Termination::Kind::Exited);
  EXPECT_EQ(result.end.code, 0);
  // A grandchild caught between fork and exec still carries its parent's name.
  const auto grandchild = MatchesRegex("pid [0-9]+ \\((sleep|fake-target)\\)");
  EXPECT_THAT(result.leftovers, ElementsAre(grandchild, grandchild, grandchild));
}

// Processes that end by themselves a moment after the target (a child that watches its parent)
// are not left running; the run reports them only if they are alive a settle period later.
TEST_F(RunTest, ChildrenThatEndJustAfterTheTargetAreNotLeftovers) {
  const RunResult result = run(fake({"mourners", "3", "200", "exit", "0"}));
  EXPECT_EQ(result.end.kind, Termination::Kind::Exited);
  EXPECT_EQ(result.end.code, 0);
  EXPECT_THAT(result.leftovers, IsEmpty());
}

// "pid 123 (sleep)" for each "daemon 123" line a fake-target printed (its `daemon` step).
std::vector<std::string> daemons_printed(const std::vector<LogLine>& lines) {
  std::vector<std::string> daemons;
  for (const LogLine& line : lines) {
    int pid = 0;
    if (std::sscanf(line.text.c_str(), "daemon %d", &pid) == 1) {
      daemons.push_back("pid " + std::to_string(pid) + " (sleep)");
    }
  }
  return daemons;
}

// Double-forked daemons in sessions of their own are nobody's children: still the run's, listed
// by their pids, killed.
TEST_F(RunTest, DaemonsThatDoubleForkAreListedByPidAndKilled) {
  std::vector<LogLine> lines;
  RunOptions options;
  options.on_line = [&](const LogLine& line) { lines.push_back(line); };
  const RunResult result = run(fake({"daemon", "2", "exit", "0"}), options);
  EXPECT_EQ(result.end.kind, Termination::Kind::Exited);
  const std::vector<std::string> daemons = daemons_printed(lines);
  ASSERT_THAT(daemons, SizeIs(2));
  EXPECT_THAT(result.leftovers, ::testing::UnorderedElementsAreArray(daemons));
  EXPECT_THAT(result.containment, ::testing::AnyOf("pid-namespace", "user+pid-namespace"));
}

// Two runs at once, one of whose daemons is alive throughout: the other run ends, sweeps, and
// neither kills nor reports it; each run lists exactly its own daemon.
TEST_F(RunTest, ARunSweepsOnlyWhatItStarted) {
  std::vector<LogLine> lines_b;
  std::vector<LogLine> lines_a;
  RunResult result_a;
  bool b_daemon_alive_after_a = false;
  int b_target = 0;
  RunOptions options_b;
  options_b.on_line = [&](const LogLine& line) {
    lines_b.push_back(line);
    if (std::sscanf(line.text.c_str(), "pid %d", &b_target) != 1) return;
    // B's daemon runs and B hangs: run A to its end meanwhile (its own io loop, on this thread).
    RunOptions options_a;
    options_a.on_line = [&](const LogLine& a_line) { lines_a.push_back(a_line); };
    result_a = run(fake({"daemon", "1", "exit", "0"}), options_a);
    int b_daemon = 0;
    for (const LogLine& seen : lines_b) std::sscanf(seen.text.c_str(), "daemon %d", &b_daemon);
    const int pidfd = open_pidfd(b_daemon);
    pollfd gone{pidfd, POLLIN, 0};
    b_daemon_alive_after_a = pidfd >= 0 && ::poll(&gone, 1, 0) == 0;
    if (pidfd >= 0) ::close(pidfd);
    ::kill(b_target, SIGUSR1);  // B's on-signal: exit 0
  };
  const RunResult result_b = run(
      fake({"daemon", "1", "on-signal", std::to_string(SIGUSR1), "0", "pid", "hang"}), options_b);
  ASSERT_NE(b_target, 0);
  EXPECT_TRUE(b_daemon_alive_after_a);
  EXPECT_THAT(result_a.leftovers, ElementsAre(daemons_printed(lines_a).at(0)));
  EXPECT_THAT(result_b.leftovers, ElementsAre(daemons_printed(lines_b).at(0)));
  EXPECT_EQ(result_b.end.kind, Termination::Kind::Exited);
}

// Where no namespace is allowed, the run init is a child subreaper: daemons are still found.
TEST_F(RunTest, TheSubreaperFallbackListsAndKillsDaemonsToo) {
  ::setenv("SUPERLINK_CONTAINMENT", "subreaper", 1);
  std::vector<LogLine> lines;
  RunOptions options;
  options.on_line = [&](const LogLine& line) { lines.push_back(line); };
  const RunResult result = run(fake({"daemon", "1", "children", "1", "exit", "0"}), options);
  ::unsetenv("SUPERLINK_CONTAINMENT");
  EXPECT_EQ(result.containment, "subreaper");
  const std::vector<std::string> daemons = daemons_printed(lines);
  ASSERT_THAT(daemons, SizeIs(1));
  EXPECT_THAT(result.leftovers,
              ::testing::UnorderedElementsAre(
                  daemons[0], MatchesRegex("pid [0-9]+ \\((sleep|fake-target)\\)")));
}

// A run init started ahead (superlink-run-init --standby) by one thread serves the run of
// another and outlives the thread that started it: the starter ends while the target runs, and
// the run still ends as the scenario says (a parent-death signal would have ended it there).
TEST_F(RunTest, ARunInitStartedAheadOutlivesTheThreadThatStartedIt) {
  std::promise<void> prestarted;
  std::promise<void> target_up;
  std::thread starter([&prestarted, up = target_up.get_future()] {
    prestart_run_init();
    prestarted.set_value();
    up.wait();
  });
  prestarted.get_future().wait();
  RunOptions options;
  options.on_line = [&](const LogLine& line) {
    if (line.text != "up" || !starter.joinable()) return;
    target_up.set_value();
    starter.join();  // the thread that started the run init is gone from here on
  };
  Scenario scenario = fake({"print", "out", "up", "ready", "hang"});
  scenario.expect.still_running = true;
  scenario.expect.hold = 300ms;
  const RunResult result = run(scenario, options);
  if (starter.joinable()) {
    target_up.set_value();
    starter.join();
  }
  EXPECT_FALSE(result.harness_error);
  EXPECT_EQ(result.end.kind, Termination::Kind::StillRunning);
}

TEST_F(RunTest, AnUnknownContainmentModeIsAHarnessError) {
  ::setenv("SUPERLINK_CONTAINMENT", "chroot", 1);
  const RunResult result = run(fake({"exit", "0"}));
  ::unsetenv("SUPERLINK_CONTAINMENT");
  EXPECT_THAT(result.harness_error,
              Optional(std::string("SUPERLINK_CONTAINMENT: unknown mode 'chroot' (known: "
                                   "pid-namespace, user+pid-namespace, subreaper)")));
}

TEST_F(RunTest, TheReadyFileMakesTheTargetReadyAndGivesItsAddresses) {
  Scenario scenario = fake({"ready", "hang"});
  scenario.expect.still_running = true;
  scenario.expect.hold = 100ms;
  const RunResult result = run(scenario);
  EXPECT_TRUE(result.ready);
  // What the ready file says wins over the allocated port.
  EXPECT_THAT(result.addresses, Contains(Pair("fleet", "127.0.0.1:1")));
  EXPECT_EQ(result.end.kind, Termination::Kind::StillRunning);
  EXPECT_EQ(result.end.signal, SIGTERM);
  ASSERT_TRUE(result.ready_at && result.exit_at);
  EXPECT_GE(*result.exit_at - *result.ready_at, 100ms);
}

TEST_F(RunTest, ATargetThatNeverWritesTheReadyFileIsNeverReady) {
  const RunResult result = run(fake({"hang"}, 200ms));
  EXPECT_FALSE(result.ready);
  EXPECT_FALSE(result.ready_at);
  EXPECT_EQ(result.end.kind, Termination::Kind::TimedOut);
}

TEST_F(RunTest, ATargetWithoutAReadyFileIsReadyAtSpawn) {
  Scenario scenario = fake({"exit", "0"});
  scenario.superlink.ready = Readiness::None;
  const RunResult result = run(scenario);
  EXPECT_TRUE(result.ready);
  EXPECT_THAT(result.ready_at, Optional(Nanos(0)));
}

TEST_F(RunTest, ASignalEventReachesTheTarget) {
  Scenario scenario = fake({"on-signal", std::to_string(SIGUSR1), "42", "ready", "hang"});
  scenario.events = {sigusr1_at(Event::Anchor::Ready, 10ms)};
  const RunResult result = run(scenario);
  EXPECT_EQ(result.end.kind, Termination::Kind::Exited);
  EXPECT_EQ(result.end.code, 42);
  ASSERT_THAT(result.events, SizeIs(1));
  EXPECT_EQ(result.events[0].error, "");
  EXPECT_GE(result.events[0].at, *result.ready_at + 10ms);
}

TEST_F(RunTest, AStartEventWaitsForTheFirstLine) {
  Scenario scenario =
      fake({"on-signal", std::to_string(SIGUSR1), "43", "print", "out", "up", "hang"});
  scenario.events = {sigusr1_at(Event::Anchor::Start)};
  const RunResult result = run(scenario);
  EXPECT_EQ(result.end.kind, Termination::Kind::Exited);
  EXPECT_EQ(result.end.code, 43);
}

TEST_F(RunTest, AFiredEventWaitsForTheSiteInTheJournal) {
  Scenario scenario = fake({"on-signal", std::to_string(SIGUSR1), "44", "journal",
                            "{\"hit\":1,\"site\":\"other\",\"mono_ns\":0}\n", "journal",
                            "{\"hit\":1,\"site\":\"rest.start\",\"mono_ns\":0}\n", "hang"});
  Event event = sigusr1_at(Event::Anchor::Fired);
  event.fired_site = "rest.start";
  scenario.events = {event};
  const RunResult result = run(scenario);
  EXPECT_EQ(result.end.kind, Termination::Kind::Exited);
  EXPECT_EQ(result.end.code, 44);
  EXPECT_THAT(result.journal, SizeIs(2));
}

TEST_F(RunTest, AFiredEventWhoseSiteNeverFiresIsNotDone) {
  Scenario scenario = fake({"exit", "0"});
  Event event = sigusr1_at(Event::Anchor::Fired);
  event.fired_site = "rest.start";
  scenario.events = {event};
  const RunResult result = run(scenario);
  EXPECT_THAT(result.events, ElementsAre(Field(&EventOutcome::error, "target had exited")));
}

TEST_F(RunTest, EventsAfterTheExitAreRecordedAsNotDone) {
  Scenario scenario = fake({"ready", "exit", "0"});
  Event event = sigusr1_at(Event::Anchor::Ready, 60s);
  event.count = 2;
  scenario.events = {event};
  const RunResult result = run(scenario);
  // ASSERT: indexing events[1] after a failed expectation would read past the end.
  ASSERT_THAT(result.events, ElementsAre(Field(&EventOutcome::error, "target had exited"),
                                         Field(&EventOutcome::error, "target had exited")));
  EXPECT_EQ(result.events[1].repetition, 1);
}

TEST_F(RunTest, RequestEventsReachTheFleetAddressWithTheirHeaders) {
  Scenario scenario;
  scenario.superlink.command = {FAKE_HTTP_TARGET};
  scenario.expect.still_running = true;
  scenario.expect.hold = 50ms;
  Event ping;
  ping.action = RequestEvent{.route = "ping"};
  ping.count = 2;
  ping.as<RequestEvent>()->body = "abc";
  Event no_accept;
  no_accept.action = RequestEvent{.route = "create-node"};
  no_accept.as<RequestEvent>()->headers = {{"accept", ""}};
  scenario.events = {ping, no_accept};
  const RunResult result = run(scenario);
  EXPECT_EQ(result.end.kind, Termination::Kind::StillRunning);
  ASSERT_THAT(result.events, SizeIs(3));
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(result.events[i].error, "");
    EXPECT_THAT(result.events[i].status, Optional(200));
    EXPECT_EQ(result.events[i].body,
              "route=ping content-type=application/protobuf accept=application/protobuf body=abc");
  }
  EXPECT_THAT(result.events[2].status, Optional(400));
  EXPECT_EQ(result.events[2].body, "Missing header `Accept`");
}

// fake-target's ready file names 127.0.0.1:1, where nothing listens.
TEST_F(RunTest, ARequestThatCannotBeSentFailsTheRunNamingTheEvent) {
  Scenario scenario = fake({"ready", "hang"});
  scenario.expect.still_running = true;
  scenario.expect.hold = 50ms;
  Event ping;
  ping.action = RequestEvent{.route = "ping"};
  scenario.events = {ping};
  RunOptions options;
  options.grace = 200ms;
  const RunResult result = run(scenario, options);
  ASSERT_THAT(result.events, SizeIs(1));
  EXPECT_TRUE(result.events[0].unsent);
  EXPECT_EQ(result.events[0].error, "Connection refused");
  const Verdict verdict = judge(scenario, result);
  EXPECT_FALSE(verdict.passed);
  ASSERT_THAT(verdict.failures, SizeIs(1));
  EXPECT_EQ(verdict.failures[0].expected, "events[0] (ping) #1 to be sent");
  EXPECT_EQ(verdict.failures[0].actual, "not done: Connection refused");
}

// A target on its way out refuses the request: that is the exit, not an unsent request.
TEST_F(RunTest, ARequestRefusedByAnExitingTargetIsNotDone) {
  Scenario scenario = fake({"ready", "exit", "0"});
  Event ping;
  ping.action = RequestEvent{.route = "ping"};
  scenario.events = {ping};
  const RunResult result = run(scenario);
  ASSERT_THAT(result.events, SizeIs(1));
  EXPECT_FALSE(result.events[0].unsent);
  EXPECT_THAT(result.events[0].error, ::testing::StartsWith("target had exited"));
  EXPECT_TRUE(judge(scenario, result).passed);
}

TEST_F(RunTest, TheJournalIsReadAndATornLastLineSkipped) {
  const RunResult result = run(fake(
      {"journal",
       "{\"hit\":1,\"site\":\"rest.start\",\"task\":\"panic\",\"arg\":\"x\",\"thread\":\"rest\","
       "\"seed\":7,\"mono_ns\":5,\"pid\":9}\n{\"hit\":2,\"si",
       "exit", "100"}));
  ASSERT_THAT(result.journal, SizeIs(1));
  EXPECT_EQ(result.journal[0].site, "rest.start");
  EXPECT_EQ(result.journal[0].seed, 7u);
}

TEST_F(RunTest, AGivenWorkDirIsKeptWithTheJournal) {
  const std::string dir =
      (std::filesystem::temp_directory_path() / ("run_test_work_" + std::to_string(::getpid())))
          .string();
  RunOptions options;
  options.work_dir = dir;
  const RunResult result = run(fake({"journal", "{\"hit\":1}\n", "ready"}), options);
  EXPECT_TRUE(result.ready);
  EXPECT_TRUE(std::filesystem::exists(dir + "/journal.jsonl"));
  EXPECT_TRUE(std::filesystem::exists(dir + "/ready.json"));
  std::filesystem::remove_all(dir);
}

TEST_F(RunTest, AMissingProgramIsAHarnessError) {
  Scenario scenario;
  scenario.superlink.command = {"nosuchbin"};
  const RunResult result = run(scenario);
  EXPECT_THAT(result.harness_error,
              Optional(std::string("cannot start 'nosuchbin': No such file or directory")));
  EXPECT_EQ(result.end.kind, Termination::Kind::NotStarted);
}

TEST_F(RunTest, OccupiedPortsGoToTheMockAndAnUnknownNameIsAHarnessError) {
  Scenario scenario;
  scenario.setup.occupy = {"fleet"};
  RunOptions options;
  options.mock_binary = "no-such-mock";
  const RunResult result = run(scenario, options);
  EXPECT_THAT(result.harness_error,
              Optional(std::string("cannot start 'no-such-mock': No such file or directory")));
  EXPECT_THAT(result.argv, Contains(MatchesRegex("127\\.0\\.0\\.1:[1-9][0-9]*")));

  scenario.setup.occupy = {"fleet", "grpc"};
  const RunResult bad = run(scenario, options);
  EXPECT_THAT(bad.harness_error,
              Optional(std::string(
                  "setup.occupy: unknown address 'grpc' (known: fleet, serverappio, exec)")));
  EXPECT_THAT(bad.argv, IsEmpty());
}

// A harness that gets SIGTERM mid-run kills the target's group before it dies. The probe runs
// the target; this test's line callback signals the probe and then waits, on a pidfd, for the
// target to die. The io thread of this run is blocked meanwhile, so only the probe's handler
// can have killed it.
TEST_F(RunTest, SigtermToTheHarnessKillsTheTargetsGroup) {
  Scenario scenario;
  scenario.superlink.command = {RUN_PROBE, FAKE_TARGET, "children", "1", "pid", "hang"};
  scenario.superlink.ready = Readiness::None;
  int probe = 0;
  bool target_died = false;
  RunOptions options;
  options.on_line = [&](const LogLine& line) {
    if (std::sscanf(line.text.c_str(), "probe %d", &probe) == 1) return;
    int target = 0;
    if (std::sscanf(line.text.c_str(), "pid %d", &target) != 1) return;
    const int pidfd = open_pidfd(target);
    ASSERT_GE(pidfd, 0);
    ::kill(probe, SIGTERM);
    pollfd watch{pidfd, POLLIN, 0};
    target_died = ::poll(&watch, 1, 10000) == 1;
    ::close(pidfd);
  };
  const RunResult result = run(scenario, options);
  EXPECT_TRUE(target_died);
  EXPECT_EQ(result.end.kind, Termination::Kind::Signaled);
  EXPECT_EQ(result.end.signal, SIGTERM);
}

}  // namespace
}  // namespace harness
