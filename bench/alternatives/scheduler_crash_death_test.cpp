// The scheduler crash of bench/scenarios/crash/scheduler_start_panic.toml as a GoogleTest death
// test: the mock runs in a forked child through its library entry point (superlink_main), with
// the same flags, failpoint and checks as the scenario: exit status 100, the expected stderr
// lines in order, no graceful-stop line, only scheduler.start fired, and the exit within 1 s of
// the firing. Built only to be timed against the harness (bench/run-all); not registered in
// ctest.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <time.h>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <set>
#include <string>

#include "superlink/app/superlink_app.h"

namespace {

std::int64_t mono_ns() {
  timespec now{};
  ::clock_gettime(CLOCK_MONOTONIC, &now);
  return static_cast<std::int64_t>(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
}

void run_mock_with_scheduler_start_panic(const std::string& journal) {
  ::setenv("FAILPOINTS", "scheduler.start=panic(state database unavailable)", 1);
  ::setenv("NO_COLOR", "1", 1);
  const char* argv[] = {"mock-superlink",      "--insecure",         "--isolation",
                        "subprocess",          "--fleet-api-type",   "grpc-rere",
                        "--fleet-api-address", "127.0.0.1:0",        "--serverappio-api-address",
                        "127.0.0.1:0",         "--exec-api-address", "127.0.0.1:0",
                        "--fault-journal",     journal.c_str()};
  superlink::superlink_main(static_cast<int>(std::size(argv)), argv);
}

struct Firing {
  std::string site;
  std::int64_t mono_ns = 0;
};

std::vector<Firing> read_firings(const std::string& journal) {
  std::vector<Firing> firings;
  std::ifstream in(journal);
  const std::regex fields(R"re("site":"([^"]*)".*"mono_ns":([0-9]+))re");
  std::smatch match;
  for (std::string line; std::getline(in, line);) {
    if (std::regex_search(line, match, fields))
      firings.push_back({match[1].str(), std::stoll(match[2].str())});
  }
  return firings;
}

TEST(SchedulerCrashDeathTest, ExitsWith100NamingTheThreadAndTheCause) {
  const std::string journal = testing::TempDir() + "scheduler_crash_journal.jsonl";
  std::remove(journal.c_str());
  using testing::AllOf;
  using testing::ContainsRegex;
  using testing::HasSubstr;
  using testing::Not;
  // The four lines in this order ('.' crosses newlines in POSIX extended expressions).
  EXPECT_EXIT(run_mock_with_scheduler_start_panic(journal), testing::ExitedWithCode(100),
              AllOf(ContainsRegex("Critical background thread 'scheduler' stopped: [^\n]*state "
                                  "database unavailable.*Exit Code: 100.*An important background "
                                  "thread has crashed.*ref-exit-codes/100\\.html"),
                    Not(HasSubstr("terminated gracefully"))));
  const std::int64_t exited_by = mono_ns();

  const std::vector<Firing> firings = read_firings(journal);
  std::set<std::string> sites;
  for (const Firing& firing : firings) sites.insert(firing.site);
  EXPECT_EQ(sites, std::set<std::string>{"scheduler.start"});
  ASSERT_FALSE(firings.empty());
  // Looser than the harness's check: the exit is seen only when EXPECT_EXIT returns.
  EXPECT_LT(exited_by - firings.front().mono_ns, 1'000'000'000);
  std::remove(journal.c_str());
}

}  // namespace
