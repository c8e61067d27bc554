#include "superlink/app/options.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <vector>

namespace superlink {
namespace {

ParseResult parse(std::vector<const char*> args) {
  args.insert(args.begin(), "mock-superlink");
  return parse_options(static_cast<int>(args.size()), args.data());
}

TEST(Options, DefaultsAreTheRealSuperLinks) {
  const auto result = parse({});
  ASSERT_EQ(result.kind, ParseResult::Kind::kRun);
  const Options& o = result.options;
  EXPECT_FALSE(o.insecure);
  EXPECT_EQ(o.isolation, "subprocess");
  EXPECT_EQ(o.database, ":flwr-in-memory-state:");
  EXPECT_EQ(o.serverappio_api_address, "0.0.0.0:9091");
  EXPECT_EQ(o.fleet_api_type, "grpc-rere");
  EXPECT_EQ(o.fleet_api_address, "0.0.0.0:9092");
  EXPECT_EQ(o.exec_api_address, "0.0.0.0:9093");
  EXPECT_EQ(o.simulationio_api_address, "0.0.0.0:9096");
  EXPECT_EQ(o.fleet_api_num_workers, 1);
  EXPECT_EQ(o.exit_status, ExitStatusMode::kDocumented);
  EXPECT_EQ(o.pending_runs, 0);
}

TEST(Options, RestFleetDefaultsToPort9095) {
  EXPECT_EQ(parse({"--fleet-api-type", "rest"}).options.fleet_api_address, "0.0.0.0:9095");
  EXPECT_EQ(parse({"--fleet-api-type", "rest", "--fleet-api-address", "127.0.0.1:0"})
                .options.fleet_api_address,
            "127.0.0.1:0");
}

TEST(Options, MockOnlyFlags) {
  const auto result =
      parse({"--failpoint", "scheduler.tick=panic", "--failpoint", "rest.start=return", "--seed",
             "42", "--ready-file", "/tmp/r", "--fault-journal", "/tmp/j", "--exit-status", "flower",
             "--pending-runs", "3", "--insecure"});
  ASSERT_EQ(result.kind, ParseResult::Kind::kRun) << result.text;
  const Options& o = result.options;
  EXPECT_EQ(o.failpoints, (std::vector<std::string>{"scheduler.tick=panic", "rest.start=return"}));
  EXPECT_EQ(o.seed, 42u);
  EXPECT_EQ(o.ready_file, "/tmp/r");
  EXPECT_EQ(o.fault_journal, "/tmp/j");
  EXPECT_EQ(o.exit_status, ExitStatusMode::kFlower);
  EXPECT_EQ(o.pending_runs, 3);
  EXPECT_TRUE(o.insecure);
}

TEST(Options, RepeatedFlagKeepsTheLastValueLikeArgparse) {
  EXPECT_EQ(
      parse({"--exec-api-address", "a:1", "--exec-api-address", "b:2"}).options.exec_api_address,
      "b:2");
}

TEST(Options, BadValuesNameTheFlag) {
  EXPECT_EQ(parse({"--isolation", "thread"}).text,
            "--isolation: thread not in {subprocess,process}");
  EXPECT_EQ(parse({"--fleet-api-type", "grpc"}).text,
            "--fleet-api-type: grpc not in {grpc-rere,grpc-adapter,rest}");
  EXPECT_EQ(parse({"--exit-status", "posix"}).text,
            "--exit-status: posix not in {documented,flower}");
  EXPECT_EQ(parse({"--bogus"}).text, "The following argument was not expected: --bogus");
  EXPECT_EQ(parse({"--bogus"}).kind, ParseResult::Kind::kError);
}

TEST(Options, HelpAndVersionArePrinted) {
  const auto help = parse({"--help"});
  EXPECT_EQ(help.kind, ParseResult::Kind::kPrint);
  EXPECT_THAT(help.text, ::testing::HasSubstr("--fleet-api-type"));
  EXPECT_EQ(parse({"--version"}).text, "mock-superlink 0.1.0 (Flower SuperLink 1.18 interface)\n");
}

TEST(Options, EnvironmentFillsWhatNoFlagSet) {
  ::setenv("SUPERLINK_READY_FILE", "/tmp/env-ready.json", 1);
  ::setenv("SUPERLINK_FAULT_JOURNAL", "/tmp/env-journal.jsonl", 1);
  const ParseResult from_env = parse({});
  EXPECT_EQ(from_env.options.ready_file, "/tmp/env-ready.json");
  EXPECT_EQ(from_env.options.fault_journal, "/tmp/env-journal.jsonl");
  const ParseResult flag_wins = parse({"--ready-file", "/tmp/flag.json"});
  EXPECT_EQ(flag_wins.options.ready_file, "/tmp/flag.json");
  std::vector<const char*> persona{"/x/flower-superlink", "--insecure"};
  const ParseResult as_persona = parse_options(2, persona.data());
  EXPECT_TRUE(as_persona.options.persona);
  EXPECT_EQ(as_persona.options.ready_file, "/tmp/env-ready.json");
  ::unsetenv("SUPERLINK_READY_FILE");
  ::unsetenv("SUPERLINK_FAULT_JOURNAL");
}

TEST(Options, ExitStatusModeIsKnownBeforeParsing) {
  std::vector<const char*> flower{"mock-superlink", "--bogus", "--exit-status=flower"};
  EXPECT_EQ(exit_status_mode_in(3, flower.data()), ExitStatusMode::kFlower);
  std::vector<const char*> persona{"/usr/bin/flower-superlink"};
  EXPECT_EQ(exit_status_mode_in(1, persona.data()), ExitStatusMode::kFlower);
  std::vector<const char*> plain{"mock-superlink", "--insecure"};
  EXPECT_EQ(exit_status_mode_in(2, plain.data()), ExitStatusMode::kDocumented);
}

}  // namespace
}  // namespace superlink
