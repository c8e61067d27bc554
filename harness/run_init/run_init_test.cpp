// superlink-run-init's arguments: a bad one ends it with status 2 and a message naming it, before
// anything runs. And the janitor's protocol: the run folders it is told of, and nothing else.
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
        Refused{"--janitor /tmp/x-XXXXXX -- /bin/true", "--janitor excludes COMMAND"}));

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

}  // namespace
