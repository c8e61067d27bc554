#include "harness/testing/scenario_run.h"

#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <fstream>

#include "harness/testing/matchers.h"

namespace harness::test_support {
namespace {

// A scenario file around fake-target (harness/targets): it prints, records a firing in the
// journal the harness gave it, and exits with `code`.
std::filesystem::path write_scenario(const std::string& name, int code, int expected_code) {
  const auto dir = std::filesystem::path(::testing::TempDir()) / "scenario_run_test" / "crash";
  std::filesystem::create_directories(dir);
  const auto file = dir / (name + ".toml");
  std::ofstream(file) << "description = \"fake target crashes\"\n"
                      << "[superlink]\n"
                      << "command = ['" << FAKE_TARGET << "', 'print', 'err', 'Exit Code: " << code
                      << "', 'journal', "
                      << "'{\"hit\":1,\"site\":\"scheduler.tick\",\"task\":\"panic\",\"arg\":"
                         "\"boom\",\"thread\":\"scheduler\",\"seed\":0,\"mono_ns\":1,\"pid\":1}', "
                      << "'exit', '" << code << "']\n"
                      << "ready_file = false\n"
                      << "[expect]\n"
                      << "exit_code = " << expected_code << "\n"
                      << "stderr = ['Exit Code: " << expected_code << "']\n"
                      << "fired = ['scheduler.tick']\n";
  return file;
}

TEST(RunScenarioFile, RunsTheTargetAndJudgesIt) {
  const ScenarioRun run = RunScenarioFile(write_scenario("exits_100", 100, 100));
  EXPECT_EQ(run.scenario.name, "exits_100");
  EXPECT_EQ(run.scenario.group, "crash");
  EXPECT_TRUE(run.verdict.passed) << run.verdict.headline();
  EXPECT_THAT(run.result, ExitsWith(100));
  EXPECT_THAT(run.result, StderrHasLinesInOrder({"Exit Code: 100"}));
  EXPECT_THAT(run.result, FiredExactly({"scheduler.tick"}));
}

TEST(ExpectScenarioPasses, ReportsEveryUnmetExpectation) {
  const auto file = write_scenario("exits_1", 1, 100);
  EXPECT_NONFATAL_FAILURE(ExpectScenarioPasses(file),
                          "exited with status 1\n"
                          "  expected exit status 100, got exited with status 1\n"
                          "  expected stderr line matching /Exit Code: 100/, got no such line "
                          "among 1 line of stderr\n"
                          "    nearest: line 1 \"Exit Code: 1\"\n");
}

TEST(ExpectScenarioPasses, ReportsAFileThatDoesNotLoad) {
  EXPECT_NONFATAL_FAILURE(ExpectScenarioPasses("/nonexistent/x.toml"),
                          "/nonexistent/x.toml: cannot read: No such file or directory");
}

}  // namespace
}  // namespace harness::test_support
