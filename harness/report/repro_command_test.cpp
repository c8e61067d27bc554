#include "repro_command.h"

#include <gtest/gtest.h>

#include "shell_quote.h"

namespace harness {
namespace {

TEST(ShellQuote, LeavesSafeWordsBare) {
  EXPECT_EQ(shell_quote("--fleet-api-address=127.0.0.1:0"), "--fleet-api-address=127.0.0.1:0");
  EXPECT_EQ(shell_quote("/usr/bin/mock-superlink"), "/usr/bin/mock-superlink");
}

TEST(ShellQuote, QuotesEmptySpacesAndQuotes) {
  EXPECT_EQ(shell_quote(""), "''");
  EXPECT_EQ(shell_quote("a b"), "'a b'");
  EXPECT_EQ(shell_quote("it's"), "'it'\\''s'");
  EXPECT_EQ(shell_quote("scheduler.tick=2*off->panic(boom)"),
            "'scheduler.tick=2*off->panic(boom)'");
  EXPECT_EQ(shell_quote("$HOME"), "'$HOME'");
}

TEST(ReproCommand, PutsEnvironmentFirstAndReplacesTempPaths) {
  RunResult r;
  r.env = {{"NO_COLOR", "1"}, {"FAILPOINTS", "scheduler.tick=panic(db locked)"}};
  r.argv = {"/b/bin/mock-superlink",
            "--insecure",
            "--ready-file",
            "/tmp/harness-1a2b/ready.json",
            "--fault-journal=/tmp/harness-1a2b/journal.jsonl",
            "--database",
            ":flwr-in-memory-state:"};
  EXPECT_EQ(repro_command(r),
            "FAILPOINTS='scheduler.tick=panic(db locked)' NO_COLOR=1 /b/bin/mock-superlink "
            "--insecure --ready-file ./ready.json --fault-journal=./fault-journal.jsonl "
            "--database :flwr-in-memory-state:");
}

TEST(ReproCommand, CustomTargetGetsLocalPathsInItsVariables) {
  RunResult r;
  r.env = {{"SUPERLINK_FAULT_JOURNAL", "/tmp/superlink-run-x/journal.jsonl"},
           {"SUPERLINK_READY_FILE", "/tmp/superlink-run-x/ready.json"}};
  r.argv = {"sh", "-c", "exit 3"};
  EXPECT_EQ(repro_command(r),
            "SUPERLINK_FAULT_JOURNAL=./fault-journal.jsonl SUPERLINK_READY_FILE=./ready.json sh -c "
            "'exit 3'");
}

TEST(ReproCommand, CustomTargetWithoutEnvironment) {
  RunResult r;
  r.argv = {"sh", "-c", "echo 'hi'; exit 3"};
  EXPECT_EQ(repro_command(r), "sh -c 'echo '\\''hi'\\''; exit 3'");
}

}  // namespace
}  // namespace harness
