// C++ scenarios beside the TOML catalogue: the same engine, built in code and checked with the
// GoogleMock matchers. A template for users who want loops, computed values or custom checks.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <csignal>

#include "harness/run.h"
#include "harness/testing/matchers.h"

namespace harness::test_support {
namespace {

using ::testing::Not;

RunOptions with_mock() {
  RunOptions options;
  options.mock_binary = MOCK_SUPERLINK;
  return options;
}

Scenario scheduler_panics_on_tick(int tick) {
  Scenario s;
  s.name = "scheduler_panics_on_tick_" + std::to_string(tick);
  s.superlink.isolation = "subprocess";
  s.failpoints["scheduler.tick"] =
      (tick > 1 ? std::to_string(tick - 1) + "*off->" : std::string()) + "panic(tick " +
      std::to_string(tick) + ")";
  s.expect.exit_code = 100;
  return s;
}

// The crash contract holds whichever tick the scheduler dies on.
TEST(MockScenario, SchedulerCrashOnAnyOfTheFirstTicksExits100) {
  for (int tick = 1; tick <= 3; ++tick) {
    const RunResult run = run_scenario(scheduler_panics_on_tick(tick), with_mock());
    EXPECT_THAT(run, ExitsWith(100)) << "tick " << tick;
    EXPECT_THAT(run,
                StderrHasLinesInOrder(
                    {"Critical background thread 'scheduler' stopped: tick " + std::to_string(tick),
                     "Exit Code: 100", "An important background thread has crashed"}));
    EXPECT_THAT(run, FiredExactly({"scheduler.tick"}));
    EXPECT_THAT(run, StderrHasNoLine("terminated gracefully"));
  }
}

TEST(MockScenario, AbortIsASignalNotAnExitStatus) {
  Scenario s = scheduler_panics_on_tick(1);
  s.failpoints["scheduler.tick"] = "abort";
  const RunResult run = run_scenario(s, with_mock());
  EXPECT_THAT(run, KilledBy(SIGABRT));
  EXPECT_THAT(run, Not(ExitsWith(100)));
  EXPECT_THAT(run, Fired("scheduler.tick"));
}

}  // namespace
}  // namespace harness::test_support
