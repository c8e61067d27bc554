#include "harness/target_command.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

namespace harness {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;

TEST(TargetCommand, GivesTheMockItsFlagsPortsAndFailpoints) {
  Scenario scenario;
  scenario.superlink.isolation = "process";
  scenario.superlink.fleet_api_type = "rest";
  scenario.superlink.exit_status = "flower";
  scenario.superlink.args = {"--database", ":memory:"};
  scenario.superlink.env = {{"FLWR_LOG_LEVEL", "DEBUG"}};
  scenario.failpoints = {{"scheduler.tick", "2*off->panic(x)"}, {"rest.start", "return"}};
  scenario.seed = 5;
  RunOptions options;
  options.mock_binary = "/opt/mock";
  options.seed = 9;
  const TargetCommand command = build_target_command(scenario, options, "/w", {{"fleet", 4321}});
  EXPECT_THAT(
      command.argv,
      ElementsAre("/opt/mock", "--insecure", "--isolation", "process", "--fleet-api-type", "rest",
                  "--fleet-api-address", "127.0.0.1:4321", "--serverappio-api-address",
                  "127.0.0.1:0", "--exec-api-address", "127.0.0.1:0", "--ready-file",
                  "/w/ready.json", "--fault-journal", "/w/journal.jsonl", "--exit-status", "flower",
                  "--seed", "9", "--database", ":memory:"));
  EXPECT_THAT(command.env,
              ElementsAre(Pair("FAILPOINTS", "rest.start=return;scheduler.tick=2*off->panic(x)"),
                          Pair("FLWR_LOG_LEVEL", "DEBUG")));
}

TEST(TargetCommand, ADatabaseFileIsTheRunsStateDb) {
  Scenario scenario;
  scenario.superlink.database = "file";
  RunOptions options;
  options.mock_binary = "/opt/mock";
  const TargetCommand command = build_target_command(scenario, options, "/w", {});
  EXPECT_EQ(database_path("/w"), "/w/state.db");
  ASSERT_GE(command.argv.size(), 2u);
  EXPECT_EQ(command.argv[command.argv.size() - 2], "--database");
  EXPECT_EQ(command.argv.back(), "/w/state.db");
  scenario.superlink.database = "memory";
  const TargetCommand in_memory = build_target_command(scenario, options, "/w", {});
  EXPECT_EQ(std::count(in_memory.argv.begin(), in_memory.argv.end(), "--database"), 0);
}

std::optional<std::string> seed_flag(const TargetCommand& command) {
  for (std::size_t i = 0; i + 1 < command.argv.size(); ++i) {
    if (command.argv[i] == "--seed") return command.argv[i + 1];
  }
  return std::nullopt;
}

TEST(TargetCommand, PicksASeedWhenAnArmedActionRollsAProbability) {
  Scenario scenario;
  scenario.failpoints = {{"scheduler.tick", "2*off->25%panic(50%)"}};
  const auto picked = seed_flag(build_target_command(scenario, RunOptions{}, "/w", {}));
  ASSERT_TRUE(picked.has_value());
  EXPECT_THAT(*picked, ::testing::MatchesRegex("[0-9]+"));
  scenario.seed = 7;
  EXPECT_EQ(seed_flag(build_target_command(scenario, RunOptions{}, "/w", {})), "7");
  // A '%' inside an argument is no probability: nothing to seed.
  scenario.seed.reset();
  scenario.failpoints = {{"scheduler.tick", "panic(100% sure)"}};
  EXPECT_EQ(seed_flag(build_target_command(scenario, RunOptions{}, "/w", {})), std::nullopt);
}

TEST(TargetCommand, LeavesOutUnsetFlagsAndDefaultsTheMockNextToTheExecutable) {
  const TargetCommand command = build_target_command(Scenario{}, RunOptions{}, "/w", {});
  EXPECT_EQ(command.argv.front(), default_mock_binary());
  EXPECT_TRUE(command.argv.front().ends_with("/mock-superlink"));
  EXPECT_EQ(command.argv.size(), 16u);  // the binary and 15 flag words
  EXPECT_THAT(command.env, IsEmpty());
}

TEST(TargetCommand, PassesPathsToACustomCommandInTheEnvironment) {
  Scenario scenario;
  scenario.superlink.command = {"python3", "-m", "flwr"};
  scenario.superlink.args = {"--insecure"};
  scenario.failpoints = {{"a", "return"}};
  const TargetCommand command = build_target_command(scenario, RunOptions{}, "/w", {});
  EXPECT_THAT(command.argv, ElementsAre("python3", "-m", "flwr", "--insecure"));
  EXPECT_THAT(command.env, ElementsAre(Pair("FAILPOINTS", "a=return"),
                                       Pair("SUPERLINK_FAULT_JOURNAL", "/w/journal.jsonl"),
                                       Pair("SUPERLINK_READY_FILE", "/w/ready.json")));
}

}  // namespace
}  // namespace harness
