// superlink-run-init's arguments: a bad one ends it with status 2 and a message naming it, before
// anything runs.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <string>

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

}  // namespace
