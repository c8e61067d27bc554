// The `syscall` events of a scenario file: what they hold, and the error, at its position, for
// every bad piece.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/scenario_loader.h"
#include "scenario/scenario_requirements.h"

namespace harness {
namespace {

constexpr std::string_view kFile = "scenarios/syscall/x.toml";

std::string with_event(std::string_view event) {
  return "description = \"d\"\n[superlink]\nkind = \"flower\"\ndatabase = \"file\"\n[[events]]\n" +
         std::string(event) + "\n[expect]\nexit_code = 1\n";
}

std::string error_of(std::string_view event) {
  try {
    load_scenario_text(with_event(event), kFile);
  } catch (const ScenarioError& error) {
    return error.what();
  }
  return "(no error)";
}

TEST(SyscallEvents, ReadEveryKey) {
  const Scenario s = load_scenario_text(
      with_event(
          R"(syscall = { call = "pread64", error = "EIO", thread = "scheduler", path = "{database}", nth = 2 })"),
      kFile);
  ASSERT_EQ(s.events.size(), 1u);
  ASSERT_NE(s.events[0].as<SyscallFault>(), nullptr);
  const SyscallFault& fault = std::get<SyscallFault>(s.events[0].action);
  EXPECT_THAT(fault.calls, ::testing::ElementsAre("pread64"));
  EXPECT_EQ(fault.error, "EIO");
  EXPECT_EQ(fault.thread, SyscallFault::Thread::Scheduler);
  EXPECT_EQ(fault.path, "{database}");
  EXPECT_EQ(fault.nth, 2);
  EXPECT_EQ(fault.count, 1);
  EXPECT_EQ(outside_site(s.events[0]), "outside.syscall");
  EXPECT_FALSE(needs_failpoints(s));
}

TEST(SyscallEvents, ReadEveryEffectAndThread) {
  const Scenario s = load_scenario_text(
      "description = \"d\"\nrequires = [\"syscall-faults\"]\n"
      "[[events]]\nsyscall = { call = [\"accept\", \"epoll_wait\"], retval = 0, thread = \"rest\", "
      "count = \"all\" }\n"
      "[[events]]\nsyscall = { call = \"read\", delay_ms = 300, thread = { name = \"^sched\" } }\n"
      "[[events]]\nsyscall = { call = \"write\", signal = \"SIGUSR1\", count = 3 }\n"
      "[expect]\nexit_code = 0\nfired = [\"outside.syscall\"]\n",
      kFile);
  ASSERT_EQ(s.events.size(), 3u);
  EXPECT_TRUE(requires_capability(s, kRequiresSyscallFaults));
  const SyscallFault& all = std::get<SyscallFault>(s.events[0].action);
  EXPECT_THAT(all.calls, ::testing::ElementsAre("accept", "epoll_wait"));
  EXPECT_EQ(all.retval, 0);
  EXPECT_EQ(all.thread, SyscallFault::Thread::Rest);
  EXPECT_FALSE(all.count.has_value());
  const SyscallFault& delayed = std::get<SyscallFault>(s.events[1].action);
  EXPECT_EQ(delayed.delay, Millis(300));
  EXPECT_EQ(delayed.thread, SyscallFault::Thread::Named);
  EXPECT_EQ(delayed.thread_name, "^sched");
  const SyscallFault& signalled = std::get<SyscallFault>(s.events[2].action);
  EXPECT_EQ(signalled.signal, SIGUSR1);
  EXPECT_EQ(signalled.thread, SyscallFault::Thread::Any);
  EXPECT_EQ(signalled.count, 3);
}

TEST(SyscallEvents, AnUnknownCallIsNamedWithTheNearestOne) {
  EXPECT_EQ(error_of(R"(syscall = { call = "preadd64", error = "EIO" })"),
            "scenarios/syscall/x.toml:6:20: 'events[0].syscall.call' is not a system call: "
            "\"preadd64\"; did you mean 'pread64'?");
  EXPECT_EQ(error_of(R"(syscall = { call = ["accept", "epol_wait"], error = "EIO" })"),
            "scenarios/syscall/x.toml:6:31: 'events[0].syscall.call[1]' is not a system call: "
            "\"epol_wait\"; did you mean 'epoll_wait'?");
}

TEST(SyscallEvents, AnUnknownErrnoIsNamedWithTheNearestOne) {
  EXPECT_EQ(error_of(R"(syscall = { call = "read", error = "EIOO" })"),
            "scenarios/syscall/x.toml:6:36: 'events[0].syscall.error' is not an errno name: "
            "\"EIOO\"; did you mean 'EIO'?");
}

TEST(SyscallEvents, OneEffectExactly) {
  EXPECT_EQ(error_of(R"(syscall = { call = "read", error = "EIO", delay_ms = 5 })"),
            "scenarios/syscall/x.toml:6:43: 'events[0].syscall' has both 'error' and 'delay_ms': "
            "a fault has one effect");
  EXPECT_EQ(error_of(R"(syscall = { call = "read" })"),
            "scenarios/syscall/x.toml:6:11: 'events[0].syscall' needs one of 'error', 'retval', "
            "'delay_ms' or 'signal'");
}

TEST(SyscallEvents, BadThreadsCountsAndKeys) {
  EXPECT_EQ(error_of(R"(syscall = { call = "read", error = "EIO", thread = "sheduler" })"),
            "scenarios/syscall/x.toml:6:52: 'events[0].syscall.thread' must be \"scheduler\", "
            "\"rest\" or \"any\", not \"sheduler\"");
  EXPECT_EQ(error_of(R"(syscall = { call = "read", error = "EIO", nth = 0 })"),
            "scenarios/syscall/x.toml:6:49: 'events[0].syscall.nth' must be between 1 and 65535, "
            "not 0");
  EXPECT_EQ(error_of(R"(syscall = { call = "read", error = "EIO", count = "many" })"),
            "scenarios/syscall/x.toml:6:51: 'events[0].syscall.count' must be \"all\", not "
            "\"many\"");
  EXPECT_EQ(error_of(R"(syscall = { call = "read", error = "EIO", when = 2 })"),
            "scenarios/syscall/x.toml:6:43: unknown key 'when' in 'events[0].syscall' (known: "
            "call, error, retval, delay_ms, signal, thread, path, nth, count)");
  EXPECT_EQ(error_of("syscall = { call = \"read\", error = \"EIO\" }\ncount = 2"),
            "scenarios/syscall/x.toml:7:1: 'events[0].count' does not apply to 'syscall': say how "
            "many calls fail with 'syscall.count'");
  EXPECT_EQ(error_of(R"(syscall = { call = "read", error = "EIO", path = "{datbase}" })"),
            "scenarios/syscall/x.toml:6:50: 'events[0].syscall.path' uses an unknown "
            "substitution '{datbase}'");
}

}  // namespace
}  // namespace harness
