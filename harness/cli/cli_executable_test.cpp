// The real superlink-harness executable on small scenario files whose targets are `sh` one-liners:
// exit statuses, the FILE:LINE:COL error of `check`, and the reports it writes.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "shell_output.h"

namespace {

using ::testing::ContainsRegex;
using ::testing::HasSubstr;
namespace fs = std::filesystem;

using Result = ::harness::cli::ShellResult;

class ExecutableTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("cli-exe-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "cat" / "shell");
    write("cat/shell/exits_three.toml",
          "description = \"sh exits 3 after one line\"\n"
          "[superlink]\ncommand = [\"sh\", \"-c\", \"echo hello >&2; exit 3\"]\n"
          "ready_file = false\n"
          "[expect]\nexit_code = 3\nstderr = [\"hello\"]\n");
  }
  void TearDown() override { fs::remove_all(dir_); }

  void write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
  }

  Result harness(const std::string& args) {
    // Site listings are kept in the test's own folder, not the user's.
    return ::harness::cli::run_shell("cd '" + dir_.string() +
                                     "' && SUPERLINK_HARNESS_CACHE=cache '" SUPERLINK_HARNESS "' " +
                                     args);
  }

  fs::path dir_;
};

TEST_F(ExecutableTest, PassingRunExitsZero) {
  const Result r = harness("run cat");
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_THAT(r.output, HasSubstr("PASS  shell/exits_three  ("));
  EXPECT_THAT(r.output, HasSubstr("\n1 passed, 0 failed\n"));
}

TEST_F(ExecutableTest, FailingRunExitsOneWithReportAndRerunCommand) {
  write("cat/shell/wrong_code.toml",
        "description = \"expects 4 from a target that exits 3\"\n"
        "[superlink]\ncommand = [\"sh\", \"-c\", \"exit 3\"]\nready_file = false\n"
        "[expect]\nexit_code = 4\n");
  const Result r = harness("run cat --json out.json --junit out.xml");
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_THAT(r.output, HasSubstr("FAIL  shell/wrong_code  ("));
  // The run's folder is gone: the rerun uses the current one; the ports are the run's.
  EXPECT_THAT(r.output, ContainsRegex("  rerun:\n    SUPERLINK_DATABASE=./state.db "
                                      "SUPERLINK_EXEC_ADDRESS=127.0.0.1:[0-9]+ "
                                      "SUPERLINK_FAULT_JOURNAL=./fault-journal.jsonl "
                                      "SUPERLINK_FLEET_ADDRESS=127.0.0.1:[0-9]+ "
                                      "SUPERLINK_READY_FILE=./ready.json "
                                      "SUPERLINK_SERVERAPPIO_ADDRESS=127.0.0.1:[0-9]+ "
                                      "SUPERLINK_SIMULATIONIO_ADDRESS=127.0.0.1:[0-9]+ "
                                      "SUPERLINK_TARGET=[^ ]+/mock-superlink SUPERLINK_WORK_DIR=. "
                                      "sh -c 'exit 3'\n"));
  EXPECT_THAT(r.output, HasSubstr("\n1 passed, 1 failed\n"));
  EXPECT_TRUE(fs::file_size(dir_ / "out.json") > 0);
  EXPECT_TRUE(fs::file_size(dir_ / "out.xml") > 0);
}

TEST_F(ExecutableTest, FileThatDoesNotParseExitsTwoAndNothingRuns) {
  write("cat/shell/broken.toml", "description = \"bad\"\n[expect]\nexit_code = \"three\"\n");
  const Result check = harness("check cat");
  EXPECT_EQ(check.status, 2);
  EXPECT_THAT(check.output, HasSubstr("cat/shell/broken.toml:3:"));
  const Result run = harness("run cat");
  EXPECT_EQ(run.status, 2);
  EXPECT_THAT(run.output, ::testing::Not(HasSubstr("PASS")));
}

TEST_F(ExecutableTest, UsageErrorsExitTwo) {
  EXPECT_EQ(harness("").status, 2);
  EXPECT_EQ(harness("run cat --jobs=-1").status, 2);
  EXPECT_EQ(harness("--help").status, 0);
}

TEST_F(ExecutableTest, ListDefaultsToTheScenariosFolder) {
  fs::rename(dir_ / "cat", dir_ / "scenarios");
  const Result r = harness("list");
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_EQ(r.output,
            "scenario           description\n"
            "shell/exits_three  sh exits 3 after one line\n");
  // The ids are what --filter takes back.
  EXPECT_EQ(harness("list --filter shell/exits_three").output, r.output);
}

TEST_F(ExecutableTest, SelectingNothingExitsTwoAndSaysSo) {
  fs::create_directories(dir_ / "empty");
  fs::create_directories(dir_ / "no_toml");
  write("no_toml/notes.txt", "not a scenario\n");
  for (const char* command : {"run", "list", "check", "coverage"}) {
    const Result r = harness(std::string(command) + " empty");
    EXPECT_EQ(r.status, 2) << command;
    EXPECT_EQ(r.output,
              "superlink-harness: nothing selected: no .toml scenario file under 'empty'\n")
        << command;
  }
  EXPECT_EQ(harness("run no_toml").output,
            "superlink-harness: nothing selected: no .toml scenario file under 'no_toml'\n");
  for (const char* command : {"run", "list"}) {
    const Result r = harness(std::string(command) + " cat --filter 'shell/nope*'");
    EXPECT_EQ(r.status, 2) << command;
    EXPECT_EQ(r.output,
              "superlink-harness: nothing selected: --filter 'shell/nope*' matches none of the 1 "
              "scenario under 'cat'\n")
        << command;
  }
  const Result empty_filter = harness("run cat --filter ''");
  EXPECT_EQ(empty_filter.status, 2);
  EXPECT_EQ(empty_filter.output,
            "superlink-harness: --filter: no pattern given (an empty --filter would select "
            "nothing)\nRun 'superlink-harness --help' for usage.\n");
}

TEST_F(ExecutableTest, RefusesWhatIsNotARegularFileOrIsTooLarge) {
  ASSERT_EQ(::mkfifo((dir_ / "cat/shell/fifo.toml").c_str(), 0600), 0);
  const Result fifo = harness("run cat/shell/fifo.toml");
  EXPECT_EQ(fifo.status, 2);
  EXPECT_EQ(fifo.output, "cat/shell/fifo.toml: cannot read: a FIFO, not a regular scenario file\n");
  // Found by searching a folder too: the FIFO is named, not skipped or opened.
  EXPECT_THAT(harness("check cat").output,
              HasSubstr("cat/shell/fifo.toml: cannot read: a FIFO, not a regular scenario file\n"));
  fs::remove(dir_ / "cat/shell/fifo.toml");
  const Result zero = harness("check /dev/zero");
  EXPECT_EQ(zero.status, 2);
  EXPECT_EQ(zero.output,
            "/dev/zero: cannot read: a character device, not a regular scenario file\n");

  // A sparse file: 1.5 GiB long, no disk used, refused without being read.
  { std::ofstream(dir_ / "huge.toml") << "description = \"x\"\n"; }
  fs::resize_file(dir_ / "huge.toml", 1536ull * 1024 * 1024);
  const Result huge = harness("check huge.toml");
  EXPECT_EQ(huge.status, 2);
  EXPECT_EQ(huge.output, "huge.toml: larger than 1024 KiB, the most a scenario file may hold\n");

  // A key just under the size limit: the message quotes its first 80 bytes and says how long.
  write("long_key.toml", "description = \"x\"\n" + std::string(1000000, 'k') + " = 1\n");
  const Result long_key = harness("check long_key.toml");
  EXPECT_EQ(long_key.status, 2);
  EXPECT_EQ(long_key.output,
            "long_key.toml:2:1: unknown key '" + std::string(80, 'k') +
                "... (1000000 bytes)' at top level (known: description, labels, requires, "
                "timeout_ms, seed, negative, negative_message, superlink, "
                "failpoints, setup, events, expect, versions)\n");
}

TEST_F(ExecutableTest, PicksTheSeedOfAProbabilisticFailpointAndPrintsItInTheRerunCommand) {
  write("cat/shell/unseeded.toml",
        "description = \"a 50% chance per tick, no seed given\"\n"
        "[failpoints]\n\"scheduler.tick\" = \"50%panic(unlucky)\"\n"
        "[expect]\nexit_code = 100\nfired = [\"scheduler.tick\"]\n");
  const Result r = harness("run cat/shell/unseeded.toml -v --json out.json");
  EXPECT_EQ(r.status, 0) << r.output;
  const auto flag = r.output.find(" --seed ");
  ASSERT_NE(flag, std::string::npos) << r.output;
  const std::string seed =
      r.output.substr(flag + 8, r.output.find_first_not_of("0123456789", flag + 8) - flag - 8);
  ASSERT_FALSE(seed.empty()) << r.output;
  // The mock used the seed the harness picked: the journal records the same one.
  std::ifstream json(dir_ / "out.json");
  const std::string report((std::istreambuf_iterator<char>(json)), {});
  EXPECT_THAT(report, HasSubstr("\"seed\":" + seed + ","));
}

TEST_F(ExecutableTest, RefusesSeedsThatAreNotUint64) {
  for (const char* seed : {"-1", "x", "18446744073709551616", "1e3"}) {
    const Result r = harness(std::string("run cat --seed ") + seed);
    EXPECT_EQ(r.status, 2) << seed;
    EXPECT_EQ(r.output, "superlink-harness: --seed: '" + std::string(seed) +
                            "' is not a whole number from 0 to 18446744073709551615\nRun "
                            "'superlink-harness --help' for usage.\n");
  }
  EXPECT_EQ(harness("run cat --seed 18446744073709551615").status, 0);
}

// A site no version of the target has is a typo: `check` and `run` name it once, at its place in
// the file, with the nearest site, and `run` starts nothing.
TEST_F(ExecutableTest, CheckAndRunRefuseSitesTheTargetDoesNotHave) {
  write("cat/shell/typo.toml",
        "description = \"arms a site the mock does not have\"\n"
        "[failpoints]\n\"scheduler.tik\" = \"panic\"\n[expect]\nexit_code = 100\n");
  const std::string refusal =
      "cat/shell/typo.toml:3:1: unknown failpoint site 'scheduler.tik': the target has no such "
      "site as any Flower version (1.18, 1.26); did you mean 'scheduler.tick'?\n";
  const Result r = harness("check cat");
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.output, refusal);
  EXPECT_EQ(harness("check cat --flower-version 1.18").output, refusal);
  const Result run = harness("run cat");
  EXPECT_EQ(run.status, 2);
  EXPECT_EQ(run.output, refusal);
  const Result in_event = harness("run cat --flower-version 1.26");
  EXPECT_EQ(in_event.output, refusal);
}

// `check` judges what `run` does: a scenario that claims no versions runs as 1.18 by default, so
// a 1.18-only site passes; `run --flower-version 1.26` skips it, saying why. A scenario that
// claims 1.26 for a site 1.26 lacks is told how to say what holds.
TEST_F(ExecutableTest, CheckJudgesTheVersionsARunUses) {
  write("cat/shell/ticks.toml",
        "description = \"the scheduler dies\"\n"
        "[failpoints]\n\"scheduler.tick\" = \"panic\"\n[expect]\nexit_code = 100\n");
  EXPECT_EQ(harness("check cat").output, "2 scenarios parsed, no errors\n");
  EXPECT_EQ(harness("check cat --flower-version 1.26").status, 0);
  const Result run = harness("run cat/shell/ticks.toml --flower-version 1.26");
  EXPECT_EQ(run.status, 0) << run.output;
  EXPECT_THAT(run.output,
              HasSubstr("SKIP  shell/ticks  (skipped: arms failpoint site 'scheduler.tick', which "
                        "the target as Flower 1.26 does not have (a site of Flower 1.18))\n"));
  write("cat/shell/ticks.toml",
        "description = \"the scheduler dies\"\nversions = [\"1.18\", \"1.26\"]\n"
        "[failpoints]\n\"scheduler.tick\" = \"panic\"\n[expect]\nexit_code = 100\n");
  const Result claimed = harness("check cat");
  EXPECT_EQ(claimed.status, 2);
  EXPECT_EQ(claimed.output,
            "cat/shell/ticks.toml:4:1: failpoint site 'scheduler.tick' is not a site of the "
            "target as Flower 1.26, which the scenario runs as; add versions = [\"1.18\"] (the "
            "versions that have it)\n");
}

// A target binary that is not there: one line, exit 2, nothing run.
TEST_F(ExecutableTest, AMissingTargetIsOneLine) {
  write("cat/shell/ticks.toml",
        "description = \"the scheduler dies\"\n"
        "[failpoints]\n\"scheduler.tick\" = \"panic\"\n[expect]\nexit_code = 100\n");
  write("cat/shell/plain.toml", "description = \"up\"\n[expect]\nstill_running = true\n");
  const Result r = harness("run cat --target ./nope/mock-superlink");
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.output,
            "superlink-harness: --target './nope/mock-superlink' does not exist (kind mock "
            "scenarios)\n");
}

// A report that cannot be written is refused before anything runs.
TEST_F(ExecutableTest, AnUnwritableReportIsRefusedFirst) {
  for (const char* option : {"--junit", "--json"}) {
    const Result r = harness(std::string("run cat ") + option + " no/such/folder/out");
    EXPECT_EQ(r.status, 2) << option;
    EXPECT_EQ(r.output, std::string("superlink-harness: ") + option +
                            ": cannot write 'no/such/folder/out': No such file or directory\n");
  }
}

// The site listing is kept under the binary's identity: a second harness process does not start
// the target to ask again; a changed binary is asked afresh.
TEST_F(ExecutableTest, TheSiteListingIsAskedOncePerBinary) {
  write("counting-target",
        "#!/bin/sh\nif [ \"$1\" = --list-failpoints ]; then echo asked >> asked.txt\n"
        "  echo 'scheduler.tick  where'; exit 0; fi\nexit 100\n");
  ::chmod((dir_ / "counting-target").c_str(), 0755);
  write("cat/shell/ticks.toml",
        "description = \"the scheduler dies\"\nversions = [\"1.18\"]\n"
        "[failpoints]\n\"scheduler.tick\" = \"panic\"\n[expect]\nexit_code = 100\n");
  auto asked = [&] {
    std::ifstream in(dir_ / "asked.txt");
    return std::count(std::istreambuf_iterator<char>(in), {}, '\n');
  };
  const std::string run = "run cat/shell/ticks.toml --target ./counting-target";
  EXPECT_EQ(harness(run).status, 0);
  const auto first = asked();
  EXPECT_GE(first, 1);
  EXPECT_EQ(harness(run).status, 0);
  EXPECT_EQ(asked(), first);
  write("counting-target",
        "#!/bin/sh\nif [ \"$1\" = --list-failpoints ]; then echo asked >> asked.txt\n"
        "  echo 'scheduler.tick  where it is'; exit 0; fi\nexit 100\n");
  EXPECT_EQ(harness(run).status, 0);
  EXPECT_GT(asked(), first);
}

TEST_F(ExecutableTest, ATargetWithoutFailpointsSkipsWhatNeedsThem) {
  // Stands in for a mock built with SUPERLINK_FAILPOINTS=OFF: lists no sites, refuses arming.
  write("off-target", "#!/bin/sh\n[ \"$1\" = --list-failpoints ] && exit 0\nexit 104\n");
  fs::permissions(dir_ / "off-target", fs::perms::owner_all);
  write("cat/shell/arms.toml",
        "description = \"needs failpoints\"\n"
        "[failpoints]\n\"scheduler.tick\" = \"panic\"\n[expect]\nexit_code = 100\n");
  write("cat/shell/lists.toml",
        "description = \"says it needs failpoints\"\nrequires = [\"failpoints\"]\n"
        "[expect]\nexit_code = 0\n");
  const Result r = harness("run cat --target ./off-target --junit out.xml --json out.json");
  EXPECT_EQ(r.status, 0) << r.output;
  const std::string why =
      "skipped: requires failpoints; the target lists none (built with "
      "SUPERLINK_FAILPOINTS=OFF)";
  EXPECT_THAT(r.output, HasSubstr("SKIP  shell/arms  (" + why + ")\n"));
  EXPECT_THAT(r.output, HasSubstr("SKIP  shell/lists  (" + why + ")\n"));
  EXPECT_THAT(r.output, HasSubstr("PASS  shell/exits_three  ("));
  EXPECT_THAT(r.output, HasSubstr("\n1 passed, 0 failed, 2 skipped\n"));
  std::ifstream junit(dir_ / "out.xml");
  const std::string xml((std::istreambuf_iterator<char>(junit)), {});
  EXPECT_THAT(xml, HasSubstr("<skipped message=\"requires failpoints; the target lists none "
                             "(built with SUPERLINK_FAILPOINTS=OFF)\"/>"));
  std::ifstream json(dir_ / "out.json");
  const std::string report((std::istreambuf_iterator<char>(json)), {});
  EXPECT_THAT(report, HasSubstr("\"skipped\":\"requires failpoints; the target lists none"));
  // `check` has nothing to compare against and lets them be.
  EXPECT_EQ(harness("check cat --target ./off-target").status, 0);
}

}  // namespace

// --target-kind flower against a SuperLink that is not the mock (a script that answers like a
// real one: its help for --help): the scenario written for the mock's flags and the one that
// needs failpoints are skipped, each with its reason, and the rest runs on the given binary.
TEST_F(ExecutableTest, AFlowerTargetWithoutFailpointsSkipsWhatItCannotDo) {
  write("real-superlink",
        "#!/bin/sh\n"
        "if [ \"$1\" = --help ]; then echo 'usage: flower-superlink [-h]'; exit 0; fi\n"
        "echo \"started with $*\" >&2\nexit 5\n");
  ::chmod((dir_ / "real-superlink").c_str(), 0755);
  fs::create_directories(dir_ / "kinds" / "k");
  write("kinds/k/mock_only.toml", "description = \"mock flags\"\n[expect]\nexit_code = 0\n");
  write("kinds/k/needs_failpoints.toml",
        "description = \"arms a site\"\n[superlink]\nkind = \"flower\"\n"
        "[failpoints]\n\"scheduler.tick\" = \"panic\"\n[expect]\nexit_code = 1\n");
  write("kinds/k/flags_only.toml",
        "description = \"runs on any SuperLink\"\n[superlink]\nkind = \"flower\"\n"
        "ready = \"none\"\n[expect]\nexit_code = 5\n"
        "stderr = [\"started with --insecure --isolation subprocess --fleet-api-type grpc-rere "
        "--fleet-api-address 127\\\\.0\\\\.0\\\\.1:[0-9]+ --serverappio-api-address \"]\n");
  const Result r = harness("run kinds --target-kind flower --target ./real-superlink");
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_THAT(r.output,
              HasSubstr("SKIP  k/mock_only  (skipped: written for the mock's own flags (kind = "
                        "\"mock\"); --target-kind flower runs the kind = \"flower\" "
                        "scenarios and commands)"));
  EXPECT_THAT(r.output,
              HasSubstr("SKIP  k/needs_failpoints  (skipped: requires failpoints; the target "
                        "(./real-superlink) has none: it is not the mock (it ignores "
                        "SUPERLINK_LIST_FAILPOINTS))"));
  EXPECT_THAT(r.output, HasSubstr("PASS  k/flags_only"));
  EXPECT_THAT(r.output, HasSubstr("1 passed, 0 failed, 2 skipped"));
  // `check` asks the same target the same way (its help, not the mock's --list-failpoints) and,
  // as `run` skips what needs failpoints, has nothing to refuse.
  const Result checked = harness("check kinds --target-kind flower --target ./real-superlink");
  EXPECT_EQ(checked.status, 0) << checked.output;
  EXPECT_EQ(checked.output, "3 scenarios parsed, no errors\n");
}

// Under --target-kind flower, `check` compares a kind flower scenario's sites with those the
// flower target lists (the persona's, through SUPERLINK_LIST_FAILPOINTS), and leaves kind mock
// scenarios, which that run skips, alone.
TEST_F(ExecutableTest, CheckComparesAFlowerScenarioWithTheFlowerTargetsSites) {
  fs::create_directories(dir_ / "kinds" / "k");
  write("kinds/k/typo.toml",
        "description = \"a typo\"\nversions = [\"1.18\"]\n[superlink]\nkind = \"flower\"\n"
        "[failpoints]\n\"rest.requst\" = \"panic\"\n[expect]\nexit_code = 1\n");
  write("kinds/k/mock_typo.toml",
        "description = \"a typo the mock refuses\"\nversions = [\"1.18\"]\n"
        "[failpoints]\n\"rest.requst\" = \"panic\"\n[expect]\nexit_code = 1\n");
  const Result r = harness("check kinds --target-kind flower");
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_EQ(r.output,
            "kinds/k/typo.toml:6:1: unknown failpoint site 'rest.requst': the target has no such "
            "site as any Flower version (1.18, 1.26); did you mean 'rest.request'?\n");
}

// A substitution that does not exist is a load error at its place, with a suggestion.
TEST_F(ExecutableTest, AnUnknownSubstitutionIsALoadErrorWithASuggestion) {
  write("cat/shell/typo.toml",
        "description = \"typo\"\n[superlink]\ncommand = [\"sh\", \"-c\", \"echo {flet_port}\"]\n"
        "[expect]\nexit_code = 0\n");
  const Result r = harness("check cat/shell/typo.toml");
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_THAT(r.output, HasSubstr("cat/shell/typo.toml:3:24: 'superlink.command[2]' uses an "
                                  "unknown substitution '{flet_port}'; did you mean "
                                  "'{fleet_port}'?"));
}
