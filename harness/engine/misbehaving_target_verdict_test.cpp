// Tests of the tester: scenario files around targets that misbehave on purpose, run for real and
// judged. Each asserts the exact verdict a user would read, so a change that blurs a message or
// lets a misbehaviour pass fails here.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>

#include "harness/run.h"
#include "harness/scenario_loader.h"
#include "harness/verdict.h"
#include "marked_processes.h"

namespace harness {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::MatchesRegex;
using ::testing::SizeIs;

struct Judged {
  RunResult result;
  Verdict verdict;
};

class MisbehavingTarget : public ::testing::Test {
 protected:
  // Nothing that inherited this test's marker may outlive a test.
  void SetUp() override { ::setenv("SUPERLINK_TEST_MARKER", value_.c_str(), 1); }
  void TearDown() override {
    EXPECT_THAT(marked_survivors("SUPERLINK_TEST_MARKER=" + value_, std::chrono::seconds(5)),
                IsEmpty());
  }
  const std::string value_ = "misbehaving-" + std::to_string(::getpid());

  // `steps` are fake-target's arguments; `rest` is the scenario after [superlink]. A target
  // that ends by itself gets a deadline no loaded machine reaches; the hang tests pass 400 ms.
  Judged run(const std::string& steps, const std::string& rest, Millis grace = Millis{2000},
             int timeout_ms = 10000) {
    const std::string toml =
        "description = 'misbehaving target'\n"
        "timeout_ms = " +
        std::to_string(timeout_ms) +
        "\n"
        "[superlink]\n"
        "command = ['" FAKE_TARGET "', " +
        steps + "]\nready_file = false\n" + rest;
    const Scenario scenario = load_scenario_text(toml, "tester/misbehaving.toml");
    RunOptions options;
    options.grace = grace;
    Judged judged{run_scenario(scenario, options), {}};
    judged.verdict = judge(scenario, judged.result);
    return judged;
  }
};

TEST_F(MisbehavingTarget, WrongExitCode) {
  const Judged j = run("'exit', '3'", "[expect]\nexit_code = 100\n");
  EXPECT_FALSE(j.verdict.passed);
  EXPECT_EQ(j.verdict.headline(), "expected exit status 100, got exited with status 3");
}

TEST_F(MisbehavingTarget, DiesBySignalInsteadOfExiting) {
  const Judged j = run("'signal', '11'", "[expect]\nexit_code = 100\n");
  EXPECT_EQ(j.verdict.headline(), "expected exit status 100, got killed by signal SIGSEGV");
}

TEST_F(MisbehavingTarget, ExitsInsteadOfDyingBySignal) {
  const Judged j = run("'exit', '100'", "[expect]\nsignal = 'SIGABRT'\n");
  EXPECT_EQ(j.verdict.headline(), "expected killed by SIGABRT, got exited with status 100");
}

TEST_F(MisbehavingTarget, HangsUntilTheDeadline) {
  const Judged j = run("'hang'", "[expect]\nexit_code = 100\n", Millis{2000}, 400);
  EXPECT_EQ(j.verdict.headline(),
            "expected exit status 100, got timed out after 400 ms (stopped with SIGTERM)");
}

TEST_F(MisbehavingTarget, IgnoresSigtermAndIsKilled) {
  // The deadline leaves the target time to ignore SIGTERM first: under TSan on a loaded machine
  // it and its run init can take a second or more to start.
  const Judged j = run("'ignore-term', 'hang'", "[expect]\nexit_code = 100\n", Millis{100}, 5000);
  EXPECT_EQ(j.verdict.headline(),
            "expected exit status 100, got timed out after 5000 ms (SIGTERM ignored, killed)");
}

TEST_F(MisbehavingTarget, ExitsWhileItShouldStayUp) {
  const Judged j = run("'exit', '100'", "[expect]\nstill_running = true\n");
  EXPECT_EQ(j.verdict.headline(), "expected still running, got exited with status 100");
}

TEST_F(MisbehavingTarget, PrintsTheExpectedLinesInTheWrongOrder) {
  const Judged j =
      run("'print', 'err', 'Exit Code: 100', 'print', 'err', 'thread crashed', 'exit', '100'",
          "[expect]\nexit_code = 100\nstderr = ['thread crashed', 'Exit Code: 100']\n");
  EXPECT_EQ(j.verdict.headline(),
            "expected stderr line matching /Exit Code: 100/ after line 2, got no such line among "
            "0 lines of stderr after it");
  ASSERT_THAT(j.verdict.failures, SizeIs(1));
  EXPECT_EQ(j.verdict.failures[0].nearest_text, "Exit Code: 100");
}

TEST_F(MisbehavingTarget, PrintsTheExpectedLineOnTheWrongStream) {
  const Judged j = run("'print', 'out', 'Exit Code: 100', 'exit', '100'",
                       "[expect]\nexit_code = 100\nstderr = ['Exit Code: 100']\n");
  EXPECT_EQ(j.verdict.headline(),
            "expected stderr line matching /Exit Code: 100/, got no such line among 0 lines of "
            "stderr");
}

TEST_F(MisbehavingTarget, PrintsAForbiddenLine) {
  const Judged j = run("'print', 'err', 'SuperLink terminated gracefully.', 'exit', '100'",
                       "[expect]\nexit_code = 100\nstderr_not = ['terminated gracefully']\n");
  EXPECT_THAT(j.verdict.headline(),
              MatchesRegex("expected no stderr line matching /terminated gracefully/, got .*"));
}

TEST_F(MisbehavingTarget, NeverBecomesReady) {
  const std::string toml =
      "description = 'never ready'\ntimeout_ms = 400\n[superlink]\n"
      "command = ['" FAKE_TARGET
      "', 'hang']\n"
      "[[events]]\nat = 'ready'\nsignal = 'SIGTERM'\n"
      "[expect]\nexit_code = 3\n";
  const Scenario scenario = load_scenario_text(toml, "tester/never_ready.toml");
  const RunResult result = run_scenario(scenario, RunOptions{});
  EXPECT_FALSE(result.ready);
  ASSERT_THAT(result.events, SizeIs(1));
  EXPECT_EQ(result.events[0].error, "target had exited");
  EXPECT_EQ(judge(scenario, result).headline(),
            "expected exit status 3, got timed out after 400 ms (stopped with SIGTERM; never "
            "ready: no ready file)");
}

// A target that never gets ready the way `ready` says: the timeout says what it waited for.
std::string never_ready_headline(const std::string& ready) {
  const std::string toml =
      "description = 'never ready'\ntimeout_ms = 400\n[superlink]\n"
      "command = ['sh', '-c', 'echo starting >&2; exec sleep 30']\nready = " +
      ready + "\n[expect]\nexit_code = 0\n";
  const Scenario scenario = load_scenario_text(toml, "tester/never_ready.toml");
  const RunResult result = run_scenario(scenario, RunOptions{});
  EXPECT_FALSE(result.ready);
  return judge(scenario, result).headline();
}

TEST_F(MisbehavingTarget, NeverPrintsItsReadyLine) {
  EXPECT_EQ(never_ready_headline("{ line = 'Uvicorn running on' }"),
            "expected exit status 0, got timed out after 400 ms (stopped with SIGTERM; never "
            "ready: no line matched /Uvicorn running on/)");
}

TEST_F(MisbehavingTarget, NeverOpensItsPorts) {
  EXPECT_EQ(never_ready_headline("'ports'"),
            "expected exit status 0, got timed out after 400 ms (stopped with SIGTERM; never "
            "ready: the Fleet, ServerAppIo and Exec ports never all accepted)");
}

TEST_F(MisbehavingTarget, ForksGrandchildrenThatWouldOutliveIt) {
  const Judged j = run("'children', '2', 'exit', '100'", "[expect]\nexit_code = 100\n");
  // A grandchild caught between fork and exec still carries its parent's name.
  const auto grandchild = MatchesRegex("pid [0-9]+ \\((sleep|fake-target)\\)");
  ASSERT_THAT(j.result.leftovers, ElementsAre(grandchild, grandchild));
  EXPECT_FALSE(j.verdict.passed);
  EXPECT_EQ(j.verdict.headline(),
            "expected no process to outlive the target, got 2 processes outlived it (killed by "
            "the harness): " +
                j.result.leftovers[0] + ", " + j.result.leftovers[1]);
}

TEST_F(MisbehavingTarget, LeavesProcessesTheScenarioAllows) {
  const Judged j =
      run("'children', '1', 'exit', '100'", "[expect]\nexit_code = 100\nleftovers = 'allowed'\n");
  EXPECT_THAT(j.result.leftovers, SizeIs(1));
  EXPECT_TRUE(j.verdict.passed) << j.verdict.headline();
}

TEST_F(MisbehavingTarget, FloodsItsOutputAndTheVerdictStaysRight) {
  // 16 MiB of noise (four times the log budget), then the line that matters: kept in the tail,
  // found, the rest counted.
  const Judged j =
      run("'flood', 'err', '16777216', 'print', 'err', 'Exit Code: 100', 'exit', '100'",
          "[expect]\nexit_code = 100\nstderr = ['Exit Code: 100']\n", Millis{2000}, 60000);
  EXPECT_TRUE(j.verdict.passed) << j.verdict.headline();
  EXPECT_GT(j.result.log.dropped_bytes, 0u);
}

TEST_F(MisbehavingTarget, PrintsOneHugeLineAndTheRegexesScanItWhole) {
  // std::regex recursed once per character and overflowed the stack on a 32 KiB line (SIGSEGV,
  // no report). Every pattern here scans the long line to its end before it fails there.
  for (const char* bytes : {"32768", "1048576"}) {
    const Judged j =
        run(std::string("'long-line', '") + bytes +
                "', 'print', 'err', 'ERROR :     Exit Code: 100', 'exit', '100'",
            "[expect]\nexit_code = 100\nstderr = ['.*Exit Code']\nstderr_not = ['x*y$']\n",
            Millis{2000}, 60000);
    EXPECT_TRUE(j.verdict.passed) << bytes << ": " << j.verdict.headline();
    ASSERT_THAT(j.verdict.marks, SizeIs(1));
    EXPECT_EQ(j.verdict.marks[0].line, 1u) << bytes;
  }
  const Judged missing =
      run("'long-line', '1048576', 'exit', '100'",
          "[expect]\nexit_code = 100\nstderr = ['.*Exit Code']\n", Millis{2000}, 60000);
  EXPECT_EQ(missing.verdict.headline(),
            "expected stderr line matching /.*Exit Code/, got no such line among 1 line of stderr");
}

}  // namespace
}  // namespace harness
