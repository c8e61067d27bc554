// System-call faults in real runs: a target whose threads carry no names (as a Python
// SuperLink's), its scheduler-like and loop-like threads found by what they do, real strace,
// and every way an injection is not done, with the exact words.
#include "syscall_injection.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "harness/run.h"
#include "harness/verdict.h"
#include "scenario/scenario_requirements.h"

namespace harness {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::StartsWith;

// unnamed-threads on the run's Fleet port and state file, ready once it listens.
Scenario unnamed_threads(SyscallFault fault) {
  Scenario scenario;
  scenario.name = "syscall";
  scenario.timeout = std::chrono::seconds(20);
  scenario.superlink.command = {UNNAMED_THREADS, "{fleet_port}", "{database}"};
  scenario.superlink.ready = Readiness::Line;
  scenario.superlink.ready_line = "^listening on";
  Event event;
  event.at = Event::Anchor::Ready;
  event.action = std::move(fault);
  scenario.events.push_back(std::move(event));
  return scenario;
}

std::string stdout_of(const RunResult& result) {
  std::string text;
  for (const auto* part : {&result.log.head, &result.log.tail}) {
    for (const LogLine& line : *part) {
      if (line.stream == Stream::Stdout) text += line.text + "\n";
    }
  }
  return text;
}

class SyscallInjectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (syscall_injector().empty()) GTEST_SKIP() << "strace is not installed";
  }
};

TEST_F(SyscallInjectionTest, TheSchedulerIsTheThreadThatReadsTheDatabase) {
  SyscallFault fault;
  fault.calls = {"pread64"};
  fault.error = "EIO";
  fault.thread = SyscallFault::Thread::Scheduler;
  fault.path = "{database}";
  fault.nth = 2;
  const RunResult result = run_scenario(unnamed_threads(fault), {});
  ASSERT_FALSE(result.harness_error) << *result.harness_error;
  EXPECT_EQ(result.end.kind, Termination::Kind::Exited);
  EXPECT_EQ(result.end.code, 3);
  EXPECT_THAT(stdout_of(result), HasSubstr("reader: pread failed: Input/output error\n"));
  ASSERT_EQ(result.events.size(), 1u);
  EXPECT_TRUE(result.events[0].error.empty()) << result.events[0].error;
  EXPECT_THAT(result.events[0].did,
              MatchesRegex("strace attached to thread [0-9]+ 'scheduler' \\(the one reading "
                           ".*/state\\.db\\): pread64 on .*/state\\.db EIO from the 2nd call; "
                           "injected 1 time"));
  ASSERT_EQ(result.journal.size(), 1u);
  const JournalEntry& entry = result.journal[0];
  EXPECT_EQ(entry.site, "outside.syscall");
  EXPECT_EQ(entry.task, "error");
  EXPECT_EQ(entry.arg, "pread64 EIO");
  // The reading thread is not the process's main thread.
  EXPECT_THAT(entry.thread, MatchesRegex("scheduler [0-9]+"));
  EXPECT_NE(entry.thread, "scheduler " + std::to_string(result.pid));
  EXPECT_GE(entry.mono_ns, result.spawn_mono_ns);
  EXPECT_LE(entry.mono_ns, result.exit_mono_ns);
}

TEST_F(SyscallInjectionTest, TheRestThreadIsTheOneWaitingOnTheFleetListener) {
  SyscallFault fault;
  fault.calls = {"epoll_wait"};  // the family: the target's libc may call epoll_pwait
  fault.error = "EBADF";
  fault.thread = SyscallFault::Thread::Rest;
  const RunResult result = run_scenario(unnamed_threads(fault), {});
  ASSERT_FALSE(result.harness_error) << *result.harness_error;
  EXPECT_EQ(result.end.code, 4);
  EXPECT_THAT(stdout_of(result), HasSubstr("loop: epoll_wait failed: Bad file descriptor\n"));
  ASSERT_EQ(result.events.size(), 1u);
  EXPECT_THAT(result.events[0].did, HasSubstr("'rest' (the one waiting on the Fleet listener"));
  ASSERT_EQ(result.journal.size(), 1u);
  EXPECT_THAT(result.journal[0].arg, MatchesRegex("epoll_(p)?wait EBADF"));
}

TEST_F(SyscallInjectionTest, APathTheTargetNeverTouchesIsNotDone) {
  SyscallFault fault;
  fault.calls = {"pread64"};
  fault.error = "EIO";
  fault.thread = SyscallFault::Thread::Any;
  fault.path = "{work_dir}/untouched";
  Scenario scenario = unnamed_threads(fault);
  scenario.expect.still_running = true;
  scenario.expect.hold = Millis(300);
  const RunResult result = run_scenario(scenario, {});
  ASSERT_EQ(result.events.size(), 1u);
  EXPECT_TRUE(result.events[0].unsent);
  EXPECT_FALSE(result.events[0].unsupported);
  EXPECT_THAT(result.events[0].error,
              MatchesRegex("never injected: 0 matching calls \\(pread64 on .*/untouched\\) seen "
                           "in the traced threads; the 1st never came"));
  EXPECT_TRUE(result.journal.empty());
  const Verdict verdict = judge(scenario, result);
  EXPECT_FALSE(verdict.passed);
}

TEST_F(SyscallInjectionTest, AnNthNeverReachedSaysHowManyCallsCame) {
  SyscallFault fault;
  fault.calls = {"pread64"};
  fault.error = "EIO";
  fault.thread = SyscallFault::Thread::Scheduler;
  fault.path = "{database}";
  fault.nth = 60000;
  Scenario scenario = unnamed_threads(fault);
  scenario.expect.still_running = true;
  scenario.expect.hold = Millis(300);
  const RunResult result = run_scenario(scenario, {});
  ASSERT_EQ(result.events.size(), 1u);
  EXPECT_THAT(result.events[0].error,
              MatchesRegex("never injected: [0-9]+ matching calls? \\(pread64 on .*/state\\.db\\) "
                           "seen in the traced thread; the 60000th never came"));
}

TEST_F(SyscallInjectionTest, AThreadNameNoThreadHasIsNotDone) {
  SyscallFault fault;
  fault.calls = {"read"};
  fault.error = "EIO";
  fault.thread = SyscallFault::Thread::Named;
  fault.thread_name = "^nosuch$";
  Scenario scenario = unnamed_threads(fault);
  scenario.expect.still_running = true;
  scenario.expect.hold = Millis(100);
  const RunResult result = run_scenario(scenario, {});
  ASSERT_EQ(result.events.size(), 1u);
  EXPECT_TRUE(result.events[0].unsent);
  // Its three threads, or more: a sanitizer's runtime adds one of its own, named as the process.
  EXPECT_THAT(result.events[0].error,
              MatchesRegex("no thread of pid " + std::to_string(result.pid) +
                           " or its children has an OS name matching /\\^nosuch\\$/ \\(its "
                           "threads: unnamed-threads, unnamed-threads(, unnamed-threads)+\\)"));
}

TEST_F(SyscallInjectionTest, WithoutAnInjectorTheEventIsUnsupportedAndARequiringScenarioSkips) {
  ::setenv("SUPERLINK_STRACE", "/nonexistent/strace", 1);
  SyscallFault fault;
  fault.calls = {"read"};
  fault.error = "EIO";
  Scenario scenario = unnamed_threads(fault);
  scenario.expect.still_running = true;
  scenario.expect.hold = Millis(100);
  const RunResult result = run_scenario(scenario, {});
  ::unsetenv("SUPERLINK_STRACE");
  ASSERT_EQ(result.events.size(), 1u);
  EXPECT_TRUE(result.events[0].unsupported);
  EXPECT_EQ(result.events[0].error,
            "no system-call injector: strace is not on PATH (install Debian's strace, or point "
            "SUPERLINK_STRACE at one)");
  EXPECT_FALSE(judge(scenario, result).passed);
  scenario.requirements = {std::string(kRequiresSyscallFaults)};
  const Verdict skipped = judge(scenario, result);
  ASSERT_TRUE(skipped.skipped);
  EXPECT_THAT(*skipped.skipped, StartsWith("requires syscall-faults: no system-call injector"));
}

// An injector that ptrace refuses (as under Yama's ptrace_scope without CAP_SYS_PTRACE): a
// stand-in strace that says what the real one says then, and exits 1.
TEST_F(SyscallInjectionTest, PtraceRefusedIsUnsupportedWithStracesOwnWords) {
  const std::string fake = ::testing::TempDir() + "/refusing-strace";
  {
    std::FILE* script = std::fopen(fake.c_str(), "w");
    ASSERT_NE(script, nullptr);
    std::fputs(
        "#!/bin/sh\necho 'strace: attach: ptrace(PTRACE_SEIZE, 42): Operation not permitted' "
        ">&2\nexit 1\n",
        script);
    std::fclose(script);
    ASSERT_EQ(::chmod(fake.c_str(), 0755), 0);
  }
  ::setenv("SUPERLINK_STRACE", fake.c_str(), 1);
  SyscallFault fault;
  fault.calls = {"read"};
  fault.error = "EIO";
  Scenario scenario = unnamed_threads(fault);
  scenario.expect.still_running = true;
  scenario.expect.hold = Millis(100);
  const RunResult result = run_scenario(scenario, {});
  ::unsetenv("SUPERLINK_STRACE");
  ASSERT_EQ(result.events.size(), 1u);
  EXPECT_TRUE(result.events[0].unsent);
  EXPECT_TRUE(result.events[0].unsupported);
  EXPECT_EQ(result.events[0].error,
            "the injector could not attach: strace: attach: ptrace(PTRACE_SEIZE, 42): Operation "
            "not permitted (ptrace refused: the harness needs CAP_SYS_PTRACE, or "
            "kernel.yama.ptrace_scope = 0)");
  scenario.requirements = {std::string(kRequiresSyscallFaults)};
  EXPECT_TRUE(judge(scenario, result).skipped);
}

TEST(SyscallInjectionArguments, FollowStracesGrammar) {
  SyscallFault fault;
  fault.calls = {"accept", "read"};
  fault.error = "EMFILE";
  fault.nth = 2;
  EXPECT_THAT(injection_arguments(fault, ""),
              ::testing::ElementsAre(
                  "-e", "trace=accept,accept4,read,pread64,readv,preadv,preadv2", "-e",
                  "inject=accept,accept4,read,pread64,readv,preadv,preadv2:error=EMFILE:when=2"));
  fault.calls = {"pread64"};
  fault.error.reset();
  fault.delay = Millis(250);
  fault.count = 3;
  EXPECT_THAT(
      injection_arguments(fault, "/x/state.db"),
      ::testing::ElementsAre("-e", "trace=pread64", "-e",
                             "inject=pread64:delay_exit=250ms:when=2..4", "-P", "/x/state.db"));
  fault.delay.reset();
  fault.signal = SIGUSR1;
  fault.count.reset();
  EXPECT_THAT(
      injection_arguments(fault, ""),
      ::testing::ElementsAre("-e", "trace=pread64", "-e", "inject=pread64:signal=SIGUSR1:when=2+"));
}

}  // namespace
}  // namespace harness
