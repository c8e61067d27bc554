// Evaluating sites: counts and fall-through, probabilities, every task, ScopedArm, threads.
#include "failpoint/failpoint.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <chrono>
#include <mutex>
#include <thread>

#include "test_support.h"
#include "testing_hooks.h"

#if !defined(FAILPOINTS_ENABLED) || !FAILPOINTS_ENABLED
#error "failpoint_test must be built with FAILPOINTS_ENABLED=1"
#endif

namespace failpoint {
namespace {

using std::chrono::milliseconds;
using ::testing::ElementsAre;
using ::testing::Optional;

class FailpointEvalTest : public test_support::FailpointTest {};

std::optional<std::string> Hit() {
  return FAILPOINT("x");
}

TEST_F(FailpointEvalTest, NothingHappensWhileNothingIsArmed) {
  EXPECT_FALSE(internal::any_armed());
  EXPECT_EQ(Hit(), std::nullopt);
  configure_one("other", "panic");
  EXPECT_TRUE(internal::any_armed());
  EXPECT_EQ(Hit(), std::nullopt);
  teardown();
  EXPECT_FALSE(internal::any_armed());
}

TEST_F(FailpointEvalTest, ReturnGivesItsArgument) {
  configure_one("x", "return(503)");
  EXPECT_THAT(Hit(), Optional(std::string("503")));
  EXPECT_THAT(Hit(), Optional(std::string("503")));
  configure_one("x", "return");
  EXPECT_THAT(Hit(), Optional(std::string("")));
}

TEST_F(FailpointEvalTest, OffDoesNothing) {
  configure_one("x", "off");
  EXPECT_EQ(Hit(), std::nullopt);
}

TEST_F(FailpointEvalTest, CountThenFallThrough) {
  configure_one("x", "3*off->panic(boom)");
  EXPECT_EQ(Hit(), std::nullopt);
  EXPECT_EQ(Hit(), std::nullopt);
  EXPECT_EQ(Hit(), std::nullopt);
  EXPECT_THROW(Hit(), Panic);
  EXPECT_THROW(Hit(), Panic);
}

TEST_F(FailpointEvalTest, UsedUpCountsYieldNothing) {
  configure_one("x", "2*return(a)->1*return(b)");
  std::vector<std::optional<std::string>> seen;
  for (int i = 0; i < 5; ++i) seen.push_back(Hit());
  EXPECT_THAT(seen, ElementsAre(Optional(std::string("a")), Optional(std::string("a")),
                                Optional(std::string("b")), std::nullopt, std::nullopt));
}

TEST_F(FailpointEvalTest, ZeroCountNeverYields) {
  configure_one("x", "0*panic->return(z)");
  EXPECT_THAT(Hit(), Optional(std::string("z")));
}

TEST_F(FailpointEvalTest, RearmingStartsCountsAfresh) {
  configure_one("x", "1*return(a)");
  EXPECT_THAT(Hit(), Optional(std::string("a")));
  EXPECT_EQ(Hit(), std::nullopt);
  configure_one("x", "1*return(a)");
  EXPECT_THAT(Hit(), Optional(std::string("a")));
}

std::vector<bool> Pattern(std::uint64_t seed, std::string_view actions, int n) {
  set_seed(seed);
  configure_one("x", actions);
  std::vector<bool> fired;
  for (int i = 0; i < n; ++i) fired.push_back(Hit().has_value());
  return fired;
}

TEST_F(FailpointEvalTest, SameSeedSameOutcomes) {
  const auto a = Pattern(42, "50%return", 200);
  const auto b = Pattern(42, "50%return", 200);
  const auto c = Pattern(43, "50%return", 200);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  set_seed(42);
  EXPECT_EQ(seed(), 42u);
}

int Fired(std::string_view actions, int n) {
  set_seed(7);
  configure_one("x", actions);
  int fired = 0;
  for (int i = 0; i < n; ++i) fired += Hit().has_value() ? 1 : 0;
  return fired;
}

TEST_F(FailpointEvalTest, ProbabilityGivesRoughlyItsRate) {
  // 10000 draws: the standard deviation is 40 at 20% and 7 at 0.5%; the bounds are 5 of them.
  const int twenty = Fired("20%return", 10000);
  EXPECT_GE(twenty, 1800);
  EXPECT_LE(twenty, 2200);
  const int half_percent = Fired("0.5%return", 10000);
  EXPECT_GE(half_percent, 15);
  EXPECT_LE(half_percent, 85);
  EXPECT_EQ(Fired("0%return", 10000), 0);
  EXPECT_EQ(Fired("100%return", 10000), 10000);
}

TEST_F(FailpointEvalTest, FailedRollFallsThroughToTheNextAction) {
  set_seed(1);
  configure_one("x", "50%return(a)->return(b)");
  int a = 0, b = 0;
  for (int i = 0; i < 1000; ++i) {
    const auto r = Hit();
    ASSERT_TRUE(r.has_value());
    (*r == "a" ? a : b)++;
  }
  EXPECT_GT(a, 400);
  EXPECT_GT(b, 400);
}

TEST_F(FailpointEvalTest, CountIsUsedOnlyWhenTheRollSucceeds) {
  set_seed(3);
  configure_one("x", "50%2*return(a)->return(b)");
  int a = 0;
  for (int i = 0; i < 100; ++i) a += Hit() == std::optional<std::string>("a") ? 1 : 0;
  EXPECT_EQ(a, 2);
}

TEST_F(FailpointEvalTest, PanicThrowsWithSiteAndMessage) {
  configure_one("x", "panic(database is locked)");
  try {
    Hit();
    FAIL() << "no panic";
  } catch (const Panic& p) {
    EXPECT_EQ(p.site(), "x");
    EXPECT_EQ(p.message(), "database is locked");
    EXPECT_STREQ(p.what(), "database is locked");
  }
  configure_one("x", "panic");
  try {
    Hit();
    FAIL() << "no panic";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "failpoint x panic");
  }
}

std::mutex g_printed_mu;
std::vector<std::pair<std::string, std::string>> g_printed;

void CapturePrint(std::string_view site, std::string_view message) {
  std::lock_guard lock(g_printed_mu);
  g_printed.emplace_back(site, message);
}

TEST_F(FailpointEvalTest, PrintCallsThePrintHandler) {
  g_printed.clear();
  set_print_handler(CapturePrint);
  configure_one("x", "1*print(hello)->print");
  EXPECT_EQ(Hit(), std::nullopt);
  EXPECT_EQ(Hit(), std::nullopt);
  EXPECT_THAT(g_printed,
              ElementsAre(std::pair<std::string, std::string>("x", "hello"),
                          std::pair<std::string, std::string>("x", "failpoint x executed")));
}

TEST_F(FailpointEvalTest, SleepTakesAtLeastItsTime) {
  configure_one("x", "sleep(50)");
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(Hit(), std::nullopt);
  EXPECT_GE(std::chrono::steady_clock::now() - start, milliseconds(50));
}

// How often this thread gave up the CPU itself (blocked or slept). Being preempted by a loaded
// machine is an involuntary switch and does not count.
long VoluntarySwitches() {
  rusage usage{};
  getrusage(RUSAGE_THREAD, &usage);
  return usage.ru_nvcsw;
}

TEST_F(FailpointEvalTest, DelayBusyWaitsAtLeastItsTime) {
  configure_one("x", "delay(100)");
  const auto start = std::chrono::steady_clock::now();
  const long switches = VoluntarySwitches();
  EXPECT_EQ(Hit(), std::nullopt);
  EXPECT_GE(std::chrono::steady_clock::now() - start, milliseconds(100));
  // Busy: the thread never blocked.
  EXPECT_EQ(VoluntarySwitches() - switches, 0);
  // ... where a sleep does, so the count above can tell the two apart.
  configure_one("x", "sleep(1)");
  EXPECT_EQ(Hit(), std::nullopt);
  EXPECT_GE(VoluntarySwitches() - switches, 1);
}

TEST_F(FailpointEvalTest, YieldDoesNothingVisible) {
  configure_one("x", "yield");
  EXPECT_EQ(Hit(), std::nullopt);
}

TEST_F(FailpointEvalTest, PauseIsReleasedByTeardownFromAnotherThread) {
  configure_one("x", "pause");
  std::optional<std::string> result = std::string("not run");
  test_support::SiteThread t([&] { result = Hit(); });
  ASSERT_TRUE(internal::wait_until_paused(1, milliseconds(10000)));
  EXPECT_EQ(internal::paused_threads(), 1u);
  teardown();
  t.join();
  EXPECT_EQ(result, std::nullopt);
  EXPECT_EQ(internal::paused_threads(), 0u);
}

TEST_F(FailpointEvalTest, PauseIsReleasedWhenTheSiteIsReconfigured) {
  configure_one("x", "1*pause->return(after)");
  test_support::SiteThread t1([] { Hit(); });
  ASSERT_TRUE(internal::wait_until_paused(1, milliseconds(10000)));
  configure_one("x", "return(new)");
  t1.join();
  EXPECT_THAT(Hit(), Optional(std::string("new")));

  configure_one("x", "pause");
  test_support::SiteThread t2([] { Hit(); });
  ASSERT_TRUE(internal::wait_until_paused(1, milliseconds(10000)));
  configure("other=off");  // replacing the whole configuration releases it too
  t2.join();
  EXPECT_EQ(internal::paused_threads(), 0u);
}

TEST_F(FailpointEvalTest, PauseIsReleasedWhenAScopedArmEnds) {
  test_support::SiteThread t;
  {
    ScopedArm arm("x", "pause");
    t = test_support::SiteThread([] { Hit(); });
    ASSERT_TRUE(internal::wait_until_paused(1, milliseconds(10000)));
  }
  t.join();
  EXPECT_TRUE(armed_sites().empty());
}

struct ExitCalled {
  int code;
};
void ThrowingExitHandler(int code) {
  throw ExitCalled{code};
}

TEST_F(FailpointEvalTest, ExitCallsTheExitHandler) {
  set_exit_handler(ThrowingExitHandler);
  configure_one("x", "exit(7)");
  try {
    Hit();
    FAIL() << "exit handler not called";
  } catch (const ExitCalled& e) {
    EXPECT_EQ(e.code, 7);
  }
}

TEST_F(FailpointEvalTest, ScopedArmRestoresThePreviousActions) {
  configure_one("x", "return(outer)");
  {
    ScopedArm arm("x", "return(inner)");
    EXPECT_THAT(Hit(), Optional(std::string("inner")));
    {
      ScopedArm deeper("x", "off");
      EXPECT_EQ(Hit(), std::nullopt);
    }
    EXPECT_THAT(Hit(), Optional(std::string("inner")));
  }
  EXPECT_THAT(Hit(), Optional(std::string("outer")));
  EXPECT_THAT(armed_sites(), ElementsAre("x"));
}

TEST_F(FailpointEvalTest, ScopedArmDisarmsWhatWasNotArmed) {
  configure_one("other", "off");
  {
    ScopedArm arm("x", "return(1)");
    EXPECT_THAT(armed_sites(), ElementsAre("other", "x"));
  }
  EXPECT_THAT(armed_sites(), ElementsAre("other"));
  EXPECT_EQ(Hit(), std::nullopt);
}

TEST_F(FailpointEvalTest, ScopedArmRestoresEvenWhenTheSiteIsNoLongerDeclared) {
  configure_one("x", "return(1)");
  declare_sites({{"x", ""}});
  {
    ScopedArm arm("x", "return(2)");
    declare_sites({{"y", ""}});
  }
  EXPECT_THAT(Hit(), Optional(std::string("1")));
}

TEST_F(FailpointEvalTest, ScopedArmWithBadActionsChangesNothing) {
  configure_one("x", "return(1)");
  EXPECT_THROW(ScopedArm("x", "panik"), SpecError);
  EXPECT_THAT(Hit(), Optional(std::string("1")));
}

TEST_F(FailpointEvalTest, DisarmOneSite) {
  configure("a=off;x=return(1);b=off");
  disarm("x");
  disarm("never.armed");
  EXPECT_THAT(armed_sites(), ElementsAre("a", "b"));
  EXPECT_EQ(Hit(), std::nullopt);
  disarm("a");
  disarm("b");
  EXPECT_FALSE(internal::any_armed());
}

TEST_F(FailpointEvalTest, CountedSiteFiresExactlyNTimesAcrossThreads) {
  configure_one("x", "100*return(hit)");
  constexpr int kThreads = 8;
  constexpr int kHits = 2000;
  std::atomic<int> fired{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kHits; ++i) {
        if (Hit()) fired.fetch_add(1, std::memory_order_relaxed);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(fired.load(), 100);
}

TEST_F(FailpointEvalTest, HittingWhileReconfiguringIsSafe) {
  std::atomic<bool> stop{false};
  std::vector<std::thread> hitters;
  for (int t = 0; t < 4; ++t) {
    hitters.emplace_back([&] {
      while (!stop.load()) {
        try {
          FAILPOINT("x");
          FAILPOINT("y");
        } catch (const Panic&) {
        }
      }
    });
  }
  for (int i = 0; i < 500; ++i) {
    configure("x=2*off->50%return(a)->panic(b);y=yield");
    configure_one("y", "1*return(c)");
    disarm("x");
    set_seed(static_cast<std::uint64_t>(i));
    if (i % 50 == 0) teardown();
  }
  stop = true;
  for (auto& t : hitters) t.join();
  SUCCEED();
}

}  // namespace
}  // namespace failpoint
