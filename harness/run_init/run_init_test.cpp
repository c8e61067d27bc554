// superlink-run-init's arguments: a bad one ends it with status 2 and a message naming it, before
// anything runs. And the janitor's protocol: the run folders it is told of, and nothing else.
#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "run_init_protocol.h"
#include "spawn_program.h"
#include "test_support/removal.h"
#include "test_support/test_directory.h"
#include "unique_fd.h"

namespace {

using ::testing::HasSubstr;

struct Ended {
  int status = -1;  // the exit status, -1 if it did not exit
  std::string output;
};

// Runs superlink-run-init with `args` (shell words), stdout and stderr together.
Ended run_init(const std::string& args) {
  const std::string command = std::string("'") + RUN_INIT + "' " + args + " 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  Ended ended;
  if (pipe == nullptr) return ended;
  char buffer[4096];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) {
    ended.output.append(buffer, n);
  }
  const int status = ::pclose(pipe);
  if (WIFEXITED(status)) ended.status = WEXITSTATUS(status);
  return ended;
}

struct Refused {
  const char* args;
  const char* says;  // a part of the message
};

class RunInitRefuses : public ::testing::TestWithParam<Refused> {};

TEST_P(RunInitRefuses, WithStatus2AndAMessageNamingTheArgument) {
  const Ended ended = run_init(GetParam().args);
  EXPECT_EQ(ended.status, 2);
  EXPECT_THAT(ended.output, HasSubstr(GetParam().says));
}

INSTANTIATE_TEST_SUITE_P(
    BadArguments, RunInitRefuses,
    ::testing::Values(
        // atoi read these as 0 (or clamped them to 0) and ran on.
        Refused{"--settle-ms abc -- /bin/true",
                "superlink-run-init: --settle-ms: 'abc' is not a whole number from 0"},
        Refused{"--settle-ms -5 -- /bin/true", "--settle-ms: '-5' is not a whole number"},
        Refused{"--settle-ms 1.5 -- /bin/true", "--settle-ms: '1.5' is not a whole number"},
        Refused{"--die-with-parent me -- /bin/true",
                "--die-with-parent: 'me' is not a whole number from 1"},
        Refused{"--settle 5 -- /bin/true", "--settle"},
        Refused{"--settle-ms 5", "usage: superlink-run-init"},
        Refused{"--janitor /tmp/x-XXXXXX -- /bin/true", "--janitor excludes COMMAND"},
        Refused{"--standby -- /bin/true", "COMMAND excludes --standby"},
        Refused{"--standby --janitor /tmp/x-XXXXXX", "excludes"}));

// A well-formed pid is taken; pid 1 is not the parent here, so nothing runs (status 1).
TEST(RunInitArguments, AWellFormedParentPidIsTaken) {
  const Ended ended = run_init("--die-with-parent 1 -- /bin/echo ran");
  EXPECT_EQ(ended.status, 1);
  EXPECT_EQ(ended.output, "");
}

namespace fs = std::filesystem;

// The harness hands each finished run folder to the janitor by name; a name that would leave the
// janitor's folder is ignored; the end of file removes the rest.
TEST(RunInitJanitor, RemovesTheRunFoldersItIsToldOfAndNothingOutside) {
  const superlink::test_support::TestDirectory dir("run-init-janitor");
  const fs::path outside = dir.path() / "outside";
  fs::create_directories(outside);
  int ends[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, ends), 0);
  harness::UniqueFd ours(ends[0]);
  harness::UniqueFd its(ends[1]);
  harness::SpawnRequest request;
  request.argv = {RUN_INIT, "--janitor", (dir.path() / "folder-XXXXXX").string()};
  request.fd3 = its.get();
  const pid_t janitor = harness::spawn(request);
  ASSERT_GT(janitor, 0);
  its.reset();
  const auto said = harness::run_init::receive_message(ours.get());
  ASSERT_TRUE(said);
  ASSERT_THAT(said->text, ::testing::StartsWith("folder "));
  const fs::path folder = said->text.substr(7);
  fs::create_directories(folder / "run-a");
  std::ofstream(folder / "run-a" / "journal.jsonl") << "{}\n";
  fs::create_directories(folder / "run-b");

  for (const char* name : {"remove ../outside", "remove run-b/../../outside", "remove ..",
                           "remove ", "folder /", "remove run-a"}) {
    ASSERT_TRUE(harness::run_init::send_message(ours.get(), name)) << name;
  }
  // The messages are handled in order: once run-a is gone, the others have been refused.
  ASSERT_TRUE(superlink::test_support::removed_within(folder / "run-a", std::chrono::seconds(10)));
  EXPECT_TRUE(fs::exists(outside));
  EXPECT_TRUE(fs::exists(folder / "run-b"));

  ours.reset();  // the harness is gone
  int status = 0;
  ASSERT_EQ(::waitpid(janitor, &status, 0), janitor);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  EXPECT_FALSE(fs::exists(folder));
  EXPECT_TRUE(fs::exists(outside));
}

// A standby run init started on a socket pair, its stdout on a pipe of the test's.
struct Standby {
  pid_t pid = -1;
  harness::UniqueFd control;
  harness::UniqueFd out;
};

Standby start_standby() {
  Standby standby;
  int ends[2];
  int pipe[2];
  if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, ends) != 0) return standby;
  if (::pipe2(pipe, O_CLOEXEC) != 0) return standby;
  standby.control.reset(ends[0]);
  const harness::UniqueFd its(ends[1]);
  standby.out.reset(pipe[0]);
  const harness::UniqueFd out_end(pipe[1]);
  harness::SpawnRequest request;
  request.argv = {RUN_INIT, "--standby"};
  request.fd3 = its.get();
  request.stdout_fd = out_end.get();
  standby.pid = harness::spawn(request);
  return standby;
}

int exit_status(pid_t pid) {
  int status = 0;
  if (::waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) return -1;
  return WEXITSTATUS(status);
}

// The run comes as one message: the target is started with its argv and the run's environment,
// not the run init's.
TEST(RunInitStandby, StartsTheRunItIsSentWithTheRunsEnvironment) {
  Standby standby = start_standby();
  ASSERT_GT(standby.pid, 0);
  using namespace std::string_literals;
  const std::string run = "run\0"s + "0\0"s + "\0"s + "3\0"s + "/bin/sh\0-c\0"s +
                          "echo \"$GREETING\"\0"s + "GREETING=from the run\0"s +
                          "PATH=/bin:/usr/bin\0"s;
  ASSERT_TRUE(harness::run_init::send_message(standby.control.get(), run));
  const auto started = harness::run_init::receive_message(standby.control.get());
  ASSERT_TRUE(started);
  EXPECT_EQ(started->text, "started");
  const auto ended = harness::run_init::receive_message(standby.control.get());
  ASSERT_TRUE(ended);
  EXPECT_EQ(ended->text, "ended 0");
  char buffer[64] = {};
  EXPECT_EQ(std::string(buffer,
                        static_cast<std::size_t>(::read(standby.out.get(), buffer, sizeof buffer))),
            "from the run\n");
  standby.control.reset();
  EXPECT_EQ(exit_status(standby.pid), 0);
}

// A message that is not a well-formed run is ignored; the end of file before any run ends the
// standby with nothing started.
TEST(RunInitStandby, EndsWithNothingStartedWhenTheHarnessGoesFirst) {
  Standby standby = start_standby();
  ASSERT_GT(standby.pid, 0);
  using namespace std::string_literals;
  for (const std::string& bad : {"run\0"s, "run\0"s + "0\0\0"s + "2\0/bin/echo\0"s,
                                 "run\0"s + "0\0\0"s + "x\0/bin/echo\0"s, "signal 15"s}) {
    ASSERT_TRUE(harness::run_init::send_message(standby.control.get(), bad));
  }
  standby.control.reset();
  EXPECT_EQ(exit_status(standby.pid), 0);
  char byte = 0;
  EXPECT_EQ(::read(standby.out.get(), &byte, 1), 0);  // nothing ever wrote to its stdout
}

}  // namespace
