#include "cli/pool/run_order.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <sstream>

#include "cli/pool/scenario_pool.h"
#include "harness/scenario_loader.h"

namespace harness::cli {
namespace {

using ::testing::ElementsAre;

Scenario scenario(const std::string& toml) {
  return load_scenario_text("description = \"d\"\n" + toml, "t.toml");
}

TEST(ExpectedWait, StillRunningWaitsForItsLastEventAndTheHold) {
  EXPECT_EQ(expected_wait(scenario("[expect]\nstill_running = true\n")), Millis(500));
  EXPECT_EQ(expected_wait(scenario("[[events]]\nat = \"ready+300ms\"\nrequest = \"ping\"\n"
                                   "[expect]\nstill_running = true\nhold_ms = 800\n")),
            Millis(1100));
}

TEST(ExpectedWait, CountsSchedulerTicksAndSleepsBeforeTheFault) {
  EXPECT_EQ(expected_wait(scenario("[failpoints]\n\"scheduler.tick\" = \"5*yield->panic(x)\"\n"
                                   "[expect]\nexit_code = 100\n")),
            Millis(600));
  EXPECT_EQ(expected_wait(scenario("[failpoints]\n\"scheduler.tick\" = \"1*sleep(400)->panic(x)\"\n"
                                   "[expect]\nexit_code = 100\n")),
            Millis(600));
  EXPECT_EQ(expected_wait(scenario("[failpoints]\n\"rest.request\" = \"sleep(200)\"\n"
                                   "[superlink]\nfleet_api_type = \"rest\"\n"
                                   "[expect]\nstill_running = true\n")),
            Millis(700));
  EXPECT_EQ(expected_wait(scenario("[failpoints]\n\"scheduler.start\" = \"panic(x)\"\n"
                                   "[expect]\nexit_code = 100\n")),
            Millis(0));
}

TEST(ExpectedWait, APauseThatIsNeverReleasedLastsTheTimeout) {
  EXPECT_EQ(expected_wait(scenario("timeout_ms = 1500\n[failpoints]\n\"scheduler.tick\" = "
                                   "\"pause\"\n[expect]\nexit_code = 100\n")),
            Millis(1500));
  // Staying up is what the scenario waits for, not the timeout.
  EXPECT_EQ(expected_wait(scenario("timeout_ms = 1500\n[failpoints]\n\"scheduler.tick\" = "
                                   "\"pause\"\n[expect]\nstill_running = true\n")),
            Millis(600));
}

TEST(ExpectedWait, ALockedDatabaseAddsTheBusyTimeout) {
  EXPECT_EQ(expected_wait(scenario("[superlink]\ndatabase = \"file\"\n[[events]]\n"
                                   "at = \"ready+200ms\"\ndatabase = \"lock\"\n"
                                   "[expect]\nexit_code = 100\n")),
            Millis(5200));
  EXPECT_EQ(expected_wait(scenario("[superlink]\ndatabase = \"file\"\n[[events]]\n"
                                   "at = \"ready+200ms\"\ndatabase = \"corrupt\"\n"
                                   "[expect]\nexit_code = 100\n")),
            Millis(200));
}

TEST(LongestFirst, SortsByExpectedWaitAndKeepsTiesInOrder) {
  const std::vector<Scenario> scenarios{
      scenario("[expect]\nexit_code = 0\n"),                        // 0
      scenario("[expect]\nstill_running = true\n"),                 // 500
      scenario("[expect]\nexit_code = 1\n"),                        // 0
      scenario("[expect]\nstill_running = true\nhold_ms = 900\n"),  // 900
  };
  EXPECT_THAT(longest_first(scenarios), ElementsAre(3, 1, 0, 2));
}

// The pool starts the longest two first and still returns the outcomes in catalogue order.
TEST(RunPool, StartsTheLongestFirstAndReturnsInCatalogueOrder) {
  std::vector<Scenario> scenarios;
  for (int hold : {100, 200, 900, 300, 800}) {
    scenarios.push_back(
        scenario("[expect]\nstill_running = true\nhold_ms = " + std::to_string(hold) + "\n"));
    scenarios.back().name = "s" + std::to_string(hold);
  }
  std::mutex mutex;
  std::condition_variable both_entered;
  std::vector<std::string> started;
  std::ostringstream out;
  const auto outcomes = run_pool(
      scenarios, 2,
      [&](const Scenario& s) {
        std::unique_lock lock(mutex);
        started.push_back(s.name);
        // Neither of the first two returns before the other has entered, so no worker can take
        // a third scenario and record it ahead of the second (the bound only keeps a pool that
        // runs one worker from hanging the test).
        both_entered.notify_all();
        both_entered.wait_for(lock, std::chrono::seconds(10), [&] { return started.size() >= 2; });
        return ScenarioOutcome{s, {}, {}, 0};
      },
      [](const ScenarioOutcome&) { return std::string(); }, out);
  ASSERT_EQ(started.size(), 5u);
  // Two workers take the first two of the order before either can take a third.
  EXPECT_EQ((std::set<std::string>{started[0], started[1]}),
            (std::set<std::string>{"s900", "s800"}));
  ASSERT_EQ(outcomes.size(), 5u);
  for (std::size_t i = 0; i < scenarios.size(); ++i)
    EXPECT_EQ(outcomes[i].scenario.name, scenarios[i].name);
}

TEST(RunPool, OneJobRunsInCatalogueOrder) {
  std::vector<Scenario> scenarios;
  for (int hold : {100, 900, 300}) {
    scenarios.push_back(
        scenario("[expect]\nstill_running = true\nhold_ms = " + std::to_string(hold) + "\n"));
    scenarios.back().name = "s" + std::to_string(hold);
  }
  std::vector<std::string> started;
  std::ostringstream out;
  run_pool(
      scenarios, 1,
      [&](const Scenario& s) {
        started.push_back(s.name);
        return ScenarioOutcome{s, {}, {}, 0};
      },
      [](const ScenarioOutcome&) { return std::string(); }, out);
  EXPECT_THAT(started, ElementsAre("s100", "s900", "s300"));
}

}  // namespace
}  // namespace harness::cli
