#include "target_command.h"

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
  const auto flag = std::find(command.argv.begin(), command.argv.end(), "--database");
  ASSERT_NE(flag, command.argv.end());
  ASSERT_NE(flag + 1, command.argv.end());
  EXPECT_EQ(*(flag + 1), "/w/state.db");
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
  EXPECT_THAT(command.argv.front(), ::testing::EndsWith("/mock-superlink"));
  EXPECT_EQ(command.argv.size(), 16u);  // the binary and 15 flag words
  EXPECT_THAT(command.env, IsEmpty());
}

TEST(TargetCommand, PassesPathsToACustomCommandInTheEnvironment) {
  Scenario scenario;
  scenario.superlink.command = {"python3", "-m", "flwr"};
  scenario.superlink.args = {"--insecure"};
  scenario.failpoints = {{"a", "return"}};
  RunOptions options;
  options.mock_binary = "/opt/mock";
  const TargetCommand command = build_target_command(
      scenario, options, "/w", {{"fleet", 21001}, {"serverappio", 21002}, {"exec", 21003}});
  EXPECT_THAT(command.argv, ElementsAre("python3", "-m", "flwr", "--insecure"));
  EXPECT_THAT(command.env,
              ElementsAre(Pair("FAILPOINTS", "a=return"), Pair("SUPERLINK_DATABASE", "/w/state.db"),
                          Pair("SUPERLINK_EXEC_ADDRESS", "127.0.0.1:21003"),
                          Pair("SUPERLINK_FAULT_JOURNAL", "/w/journal.jsonl"),
                          Pair("SUPERLINK_FLEET_ADDRESS", "127.0.0.1:21001"),
                          Pair("SUPERLINK_READY_FILE", "/w/ready.json"),
                          Pair("SUPERLINK_SERVERAPPIO_ADDRESS", "127.0.0.1:21002"),
                          Pair("SUPERLINK_SIMULATIONIO_ADDRESS", "127.0.0.1:0"),
                          Pair("SUPERLINK_TARGET", "/opt/mock"), Pair("SUPERLINK_WORK_DIR", "/w")));
}

TEST(TargetCommand, FillsInEverySubstitution) {
  Scenario scenario;
  scenario.superlink.command = {
      "launch",         "{fleet_address}", "{fleet_port}", "{serverappio_address}",
      "{exec_address}", "{database}",      "{work_dir}"};
  scenario.superlink.args = {"{ready_file}", "{journal}", "{target}",
                             "{seed}",       "${KEEP}",   "{{fleet_port}}"};
  scenario.superlink.env = {{"PORT", "{exec_port}"}};
  scenario.seed = 42;
  RunOptions options;
  options.flower_binary = "/usr/bin/flower-superlink";
  options.target_kind = TargetKind::Flower;
  const TargetCommand command = build_target_command(
      scenario, options, "/w", {{"fleet", 21001}, {"serverappio", 21002}, {"exec", 21003}});
  EXPECT_THAT(command.argv, ElementsAre("launch", "127.0.0.1:21001", "21001", "127.0.0.1:21002",
                                        "127.0.0.1:21003", "/w/state.db", "/w", "/w/ready.json",
                                        "/w/journal.jsonl", "/usr/bin/flower-superlink", "42",
                                        "${KEEP}", "{fleet_port}"));
  EXPECT_EQ(command.env.at("PORT"), "21003");
  EXPECT_EQ(command.env.at("SUPERLINK_SEED"), "42");
}

TEST(TargetCommand, AFlowerTargetGetsFlowersFlagsOnlyAndTheRestInTheEnvironment) {
  Scenario scenario;
  scenario.superlink.kind = TargetKind::Flower;
  scenario.superlink.fleet_api_type = "rest";
  RunOptions options;
  options.flower_binary = "/usr/bin/flower-superlink";
  const TargetCommand command = build_target_command(
      scenario, options, "/w", {{"fleet", 21001}, {"serverappio", 21002}, {"exec", 21003}});
  EXPECT_THAT(command.argv,
              ElementsAre("/usr/bin/flower-superlink", "--insecure", "--isolation", "subprocess",
                          "--fleet-api-type", "rest", "--fleet-api-address", "127.0.0.1:21001",
                          "--serverappio-api-address", "127.0.0.1:21002", "--exec-api-address",
                          "127.0.0.1:21003"));
  EXPECT_THAT(command.env, ElementsAre(Pair("SUPERLINK_FAULT_JOURNAL", "/w/journal.jsonl"),
                                       Pair("SUPERLINK_READY_FILE", "/w/ready.json")));
}

}  // namespace
}  // namespace harness
