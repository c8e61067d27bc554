#include "strace_output.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace harness {
namespace {

using Kind = StraceLine::Kind;

TEST(StraceOutput, AnInjectedErrorOfOneTracedThread) {
  const auto line = parse_strace_line(
      "1796620939.534660 pread64(3, 0x7f5b6a7ffec0, 10, 0) = -1 EIO (Input/output error) "
      "(INJECTED)\n");
  ASSERT_TRUE(line);
  EXPECT_EQ(line->kind, Kind::Call);
  EXPECT_EQ(line->tid, 0);
  EXPECT_DOUBLE_EQ(line->seconds, 1796620939.534660);
  EXPECT_EQ(line->call, "pread64");
  EXPECT_EQ(line->first_argument, "3");
  EXPECT_TRUE(line->injected);
  EXPECT_FALSE(line->delayed);
}

TEST(StraceOutput, AnUnfinishedCallOfAThreadAmongSeveral) {
  const auto line = parse_strace_line("[pid  4242] 1796.250000 epoll_wait(7,  <unfinished ...>");
  ASSERT_TRUE(line);
  EXPECT_EQ(line->kind, Kind::Call);
  EXPECT_EQ(line->tid, 4242);
  EXPECT_EQ(line->call, "epoll_wait");
  EXPECT_EQ(line->first_argument, "7");
  EXPECT_TRUE(line->unfinished);
  EXPECT_FALSE(line->injected);
}

TEST(StraceOutput, ACallWithoutArguments) {
  const auto line = parse_strace_line("1.5 getpid() = 12");
  ASSERT_TRUE(line);
  EXPECT_EQ(line->call, "getpid");
  EXPECT_EQ(line->first_argument, "");
}

TEST(StraceOutput, ResumedDelayedSignalAndExit) {
  const auto resumed = parse_strace_line("[pid 7] 2.0 <... read resumed>\"x\", 1) = 1 (DELAYED)");
  ASSERT_TRUE(resumed);
  EXPECT_EQ(resumed->kind, Kind::Resumed);
  EXPECT_EQ(resumed->call, "read");
  EXPECT_TRUE(resumed->delayed);

  const auto signal =
      parse_strace_line("3.25 --- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_KERNEL} ---");
  ASSERT_TRUE(signal);
  EXPECT_EQ(signal->kind, Kind::Signal);
  EXPECT_EQ(signal->signal, "SIGUSR1");
  EXPECT_THAT(signal->text, testing::HasSubstr("SI_KERNEL"));

  const auto exit = parse_strace_line("3.5 +++ killed by SIGUSR1 +++");
  ASSERT_TRUE(exit);
  EXPECT_EQ(exit->kind, Kind::Exit);
}

TEST(StraceOutput, ItsOwnMessages) {
  const auto attached = parse_strace_line("strace: Process 3155 attached");
  ASSERT_TRUE(attached);
  EXPECT_EQ(attached->kind, Kind::Attached);
  EXPECT_EQ(attached->tid, 3155);

  // strace names itself by its argv[0]; with -f one line covers the process's threads.
  const auto all = parse_strace_line("/usr/bin/strace: Process 24338 attached with 3 threads");
  ASSERT_TRUE(all);
  EXPECT_EQ(all->kind, Kind::Attached);
  EXPECT_EQ(all->tid, 24338);

  const auto detached = parse_strace_line("strace: Process 3155 detached");
  ASSERT_TRUE(detached);
  EXPECT_EQ(detached->kind, Kind::Detached);

  const auto refused =
      parse_strace_line("strace: attach: ptrace(PTRACE_SEIZE, 1): Operation not permitted");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->kind, Kind::Message);
  EXPECT_EQ(refused->text, "strace: attach: ptrace(PTRACE_SEIZE, 1): Operation not permitted");
}

TEST(StraceOutput, EmptyLinesAreNothing) {
  EXPECT_FALSE(parse_strace_line(""));
  EXPECT_FALSE(parse_strace_line("\n"));
}

}  // namespace
}  // namespace harness
