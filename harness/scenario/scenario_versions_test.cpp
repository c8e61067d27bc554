// `versions` and `superlink.flower_version`: how they load, which runs skip, what the target gets.
#include "scenario_versions.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "engine/target_command.h"
#include "harness/scenario_loader.h"

namespace harness {
namespace {

using ::testing::Contains;
using ::testing::Not;
using ::testing::Pair;

constexpr std::string_view kFile = "scenarios/v1_26/x.toml";

Scenario load(std::string_view rest) {
  return load_scenario_text(
      "description = \"d\"\n" + std::string(rest) + "\n[expect]\nstill_running = true\n", kFile);
}

std::string error_of(std::string_view rest) {
  try {
    load(rest);
  } catch (const ScenarioError& error) {
    return error.what();
  }
  return "(no error)";
}

TEST(ScenarioVersions, LoadsBothKeys) {
  const Scenario s = load("versions = [\"1.26\"]\n[superlink]\nflower_version = \"1.26\"\n");
  EXPECT_EQ(s.versions, std::vector<std::string>{"1.26"});
  EXPECT_EQ(s.superlink.flower_version, "1.26");
  EXPECT_EQ(known_flower_versions(), (std::vector<std::string>{"1.18", "1.26"}));
}

TEST(ScenarioVersions, RefusesUnknownAndContradictoryVersions) {
  EXPECT_EQ(
      error_of("versions = [\"1.20\"]\n"),
      "scenarios/v1_26/x.toml:2:13: 'versions[0]' must be \"1.18\" or \"1.26\", not \"1.20\"");
  EXPECT_EQ(error_of("versions = []\n"), "scenarios/v1_26/x.toml:2:12: 'versions' is empty");
  EXPECT_EQ(error_of("versions = [\"1.18\"]\n[superlink]\nflower_version = \"1.26\"\n"),
            "scenarios/v1_26/x.toml:4:18: 'superlink.flower_version' is \"1.26\", which "
            "'versions' does not list");
}

TEST(ScenarioVersions, RoutesOfEitherVersionLoad) {
  EXPECT_EQ(error_of("[[events]]\nat = \"start\"\nrequest = \"register-node\"\n"), "(no error)");
  EXPECT_EQ(error_of("[[events]]\nat = \"start\"\nrequest = \"create-node\"\n"), "(no error)");
  EXPECT_THAT(error_of("[[events]]\nat = \"start\"\nrequest = \"register-nod\"\n"),
              ::testing::HasSubstr("did you mean 'register-node'?"));
}

TEST(ScenarioVersions, SkipsARunForAVersionThePromiseDoesNotHoldFor) {
  const Scenario only_118 = load("versions = [\"1.18\"]\n");
  EXPECT_EQ(version_skip_reason(only_118, "1.18"), std::nullopt);
  EXPECT_EQ(version_skip_reason(only_118, ""), std::nullopt);  // the default is 1.18
  EXPECT_EQ(version_skip_reason(only_118, "1.26"),
            "its promise holds for Flower 1.18 only (versions); this run is for 1.26");
  const Scenario any = load("");
  EXPECT_EQ(version_skip_reason(any, "1.26"), std::nullopt);
  const Scenario pinned = load("[superlink]\nflower_version = \"1.26\"\n");
  EXPECT_EQ(version_skip_reason(pinned, ""), std::nullopt);
  EXPECT_EQ(version_skip_reason(pinned, "1.18"),
            "pinned to Flower 1.26 (superlink.flower_version); this run is for 1.18");
}

TEST(ScenarioVersions, TheMockGetsTheVersionAndItsControlApiFlag) {
  Scenario scenario;
  scenario.superlink.flower_version = "1.26";
  const TargetCommand command = build_target_command(scenario, RunOptions{}, "/w", {});
  EXPECT_THAT(command.argv, Contains("--control-api-address"));
  EXPECT_THAT(command.argv, Not(Contains("--exec-api-address")));
  const auto at = std::find(command.argv.begin(), command.argv.end(), "--flower-version");
  ASSERT_NE(at, command.argv.end());
  EXPECT_EQ(*(at + 1), "1.26");

  Scenario plain;
  const TargetCommand unchanged = build_target_command(plain, RunOptions{}, "/w", {});
  EXPECT_THAT(unchanged.argv, Contains("--exec-api-address"));
  EXPECT_THAT(unchanged.argv, Not(Contains("--flower-version")));
}

TEST(ScenarioVersions, ACommandGetsTheVersionInItsEnvironment) {
  Scenario scenario;
  scenario.superlink.command = {"/opt/superlink"};
  scenario.superlink.flower_version = "1.26";
  const TargetCommand command = build_target_command(scenario, RunOptions{}, "/w", {});
  EXPECT_THAT(command.env, Contains(Pair("SUPERLINK_FLOWER_VERSION", "1.26")));
  EXPECT_THAT(command.argv, Not(Contains("--flower-version")));
}

}  // namespace
}  // namespace harness
