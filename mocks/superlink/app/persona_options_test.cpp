#include "superlink/app/persona_options.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "superlink/flower/version_profile.h"

namespace superlink {
namespace {

ParseResult parse(std::vector<const char*> args) {
  args.insert(args.begin(), "/opt/bin/flower-superlink");
  return parse_persona_options(static_cast<int>(args.size()), args.data());
}

std::string refused(const std::string& message) {
  return persona_usage() + "flower-superlink: error: " + message + "\n";
}

// Each test runs as 1.18 unless it says otherwise.
class PersonaVersion : public ::testing::Test {
 protected:
  void TearDown() override { set_active_profile(*find_version_profile("1.18")); }
};

// As Python's argparse prints them for Flower 1.18.0's and 1.26.1's parsers on an 80-column
// terminal (the options of flwr/server/app.py at each tag, wrapped at 78 columns).
TEST_F(PersonaVersion, TheUsageIsArgparsesForEachVersionsFlags) {
  EXPECT_EQ(persona_usage(),
            "usage: flower-superlink [-h] [--insecure] [--flwr-dir FLWR_DIR]\n"
            "                        [--ssl-certfile SSL_CERTFILE]\n"
            "                        [--ssl-keyfile SSL_KEYFILE]\n"
            "                        [--ssl-ca-certfile SSL_CA_CERTFILE]\n"
            "                        [--isolation {subprocess,process}]\n"
            "                        [--database DATABASE] [--storage-dir STORAGE_DIR]\n"
            "                        [--auth-list-public-keys AUTH_LIST_PUBLIC_KEYS]\n"
            "                        [--auth-superlink-private-key AUTH_SUPERLINK_PRIVATE_KEY]\n"
            "                        [--auth-superlink-public-key AUTH_SUPERLINK_PUBLIC_KEY]\n"
            "                        [--serverappio-api-address SERVERAPPIO_API_ADDRESS]\n"
            "                        [--fleet-api-type {grpc-rere,grpc-adapter,rest}]\n"
            "                        [--fleet-api-address FLEET_API_ADDRESS]\n"
            "                        [--fleet-api-num-workers FLEET_API_NUM_WORKERS]\n"
            "                        [--exec-api-address EXEC_API_ADDRESS]\n"
            "                        [--executor EXECUTOR] [--executor-dir EXECUTOR_DIR]\n"
            "                        [--executor-config EXECUTOR_CONFIG]\n"
            "                        [--simulationio-api-address SIMULATIONIO_API_ADDRESS]\n");
  set_active_profile(*find_version_profile("1.26"));
  EXPECT_EQ(persona_usage(),
            "usage: flower-superlink [-h] [--insecure] [--flwr-dir FLWR_DIR]\n"
            "                        [--ssl-certfile SSL_CERTFILE]\n"
            "                        [--ssl-keyfile SSL_KEYFILE]\n"
            "                        [--ssl-ca-certfile SSL_CA_CERTFILE]\n"
            "                        [--isolation {subprocess,process}]\n"
            "                        [--database DATABASE] [--storage-dir STORAGE_DIR]\n"
            "                        [--auth-list-public-keys AUTH_LIST_PUBLIC_KEYS]\n"
            "                        [--enable-supernode-auth]\n"
            "                        [--serverappio-api-address SERVERAPPIO_API_ADDRESS]\n"
            "                        [--fleet-api-type {grpc-rere,grpc-adapter,rest}]\n"
            "                        [--fleet-api-address FLEET_API_ADDRESS]\n"
            "                        [--fleet-api-num-workers FLEET_API_NUM_WORKERS]\n"
            "                        [--control-api-address CONTROL_API_ADDRESS]\n"
            "                        [--exec-api-address EXEC_API_ADDRESS]\n"
            "                        [--executor EXECUTOR] [--executor-dir EXECUTOR_DIR]\n"
            "                        [--executor-config EXECUTOR_CONFIG] [--simulation]\n"
            "                        [--simulationio-api-address SIMULATIONIO_API_ADDRESS]\n"
            "                        [--health-server-address HEALTH_SERVER_ADDRESS]\n");
}

TEST_F(PersonaVersion, EachVersionTakesItsOwnFlagsAndRefusesTheOthers) {
  EXPECT_EQ(parse({"--enable-supernode-auth", "--health-server-address", "127.0.0.1:9098"}).text,
            refused("unrecognized arguments: --enable-supernode-auth --health-server-address "
                    "127.0.0.1:9098"));
  // In 1.18 `--simulation` is a prefix of one flag only, so argparse takes it for that one.
  EXPECT_EQ(parse({"--simulation"}).text,
            refused("argument --simulationio-api-address: expected one argument"));
  EXPECT_EQ(parse({"--auth-superlink-private-key", "k"}).kind, ParseResult::Kind::kRun);
  set_active_profile(*find_version_profile("1.26"));
  const ParseResult taken = parse(
      {"--enable-supernode-auth", "--simulation", "--health-server-address", "127.0.0.1:9098"});
  EXPECT_EQ(taken.kind, ParseResult::Kind::kRun) << taken.text;
  EXPECT_EQ(parse({"--auth-superlink-private-key", "k"}).text,
            refused("unrecognized arguments: --auth-superlink-private-key k"));
  // A prefix now shared with --simulationio-api-address is ambiguous, in argparse's order.
  EXPECT_EQ(parse({"--simul"}).text, refused("ambiguous option: --simul could match --simulation, "
                                             "--simulationio-api-address"));
  EXPECT_THAT(parse({"-h"}).text, ::testing::HasSubstr("the flags of Flower 1.26.1;"));
}

TEST(PersonaOptions, StartedAsFlowerSuperlinkByBasename) {
  EXPECT_TRUE(started_as_persona("/usr/bin/flower-superlink"));
  EXPECT_TRUE(started_as_persona("flower-superlink"));
  EXPECT_FALSE(started_as_persona("/usr/bin/mock-superlink"));
  EXPECT_FALSE(started_as_persona("flower-superlink-1.18"));
}

TEST(PersonaOptions, FlowerFlagsWithFlowerStatusesAndDefaults) {
  const ParseResult r = parse({"--insecure", "--fleet-api-type=rest", "--isolation", "process",
                               "--database", "state.db", "--fleet-api-num-workers", "3"});
  ASSERT_EQ(r.kind, ParseResult::Kind::kRun) << r.text;
  EXPECT_TRUE(r.options.persona);
  EXPECT_EQ(r.options.exit_status, ExitStatusMode::kFlower);
  EXPECT_TRUE(r.options.insecure);
  EXPECT_EQ(r.options.fleet_api_address, "0.0.0.0:9095");
  EXPECT_EQ(r.options.isolation, "process");
  EXPECT_EQ(r.options.database, "state.db");
  EXPECT_EQ(r.options.fleet_api_num_workers, 3);
}

TEST(PersonaOptions, AbbreviationsWorkAsInArgparse) {
  const ParseResult r = parse({"--insec", "--serverappio", "127.0.0.1:5"});
  ASSERT_EQ(r.kind, ParseResult::Kind::kRun) << r.text;
  EXPECT_TRUE(r.options.insecure);
  EXPECT_EQ(r.options.serverappio_api_address, "127.0.0.1:5");
}

TEST(PersonaOptions, MockOnlyFlagsAreUnrecognizedArguments) {
  const ParseResult r = parse({"--insecure", "--ready-file", "x", "--failpoint=a=panic"});
  EXPECT_EQ(r.kind, ParseResult::Kind::kUsageError);
  EXPECT_EQ(r.text, refused("unrecognized arguments: --ready-file x --failpoint=a=panic"));
}

TEST(PersonaOptions, BadValuesAreWordedAsArgparseWordsThem) {
  EXPECT_EQ(parse({"--isolation", "foo"}).text,
            refused("argument --isolation: invalid choice: 'foo' (choose from 'subprocess', "
                    "'process')"));
  EXPECT_EQ(parse({"--fleet-api-num-workers", "x"}).text,
            refused("argument --fleet-api-num-workers: invalid int value: 'x'"));
  EXPECT_EQ(parse({"--database"}).text, refused("argument --database: expected one argument"));
  EXPECT_EQ(parse({"--database", "--insecure"}).text,
            refused("argument --database: expected one argument"));
  EXPECT_EQ(parse({"--insecure=1"}).text,
            refused("argument --insecure: ignored explicit argument '1'"));
  EXPECT_EQ(parse({"--ssl=x"}).text,
            refused("ambiguous option: --ssl=x could match --ssl-certfile, --ssl-keyfile, "
                    "--ssl-ca-certfile"));
}

TEST(PersonaOptions, AnErrorBeforeTheEndWinsOverUnrecognizedOnes) {
  EXPECT_EQ(parse({"--bogus", "--isolation", "foo"}).text,
            refused("argument --isolation: invalid choice: 'foo' (choose from 'subprocess', "
                    "'process')"));
}

TEST(PersonaOptions, HelpPrintsTheUsage) {
  const ParseResult r = parse({"-h"});
  EXPECT_EQ(r.kind, ParseResult::Kind::kPrint);
  EXPECT_THAT(r.text, ::testing::StartsWith(persona_usage()));
  EXPECT_EQ(parse({"--he"}).kind, ParseResult::Kind::kPrint);
}

}  // namespace
}  // namespace superlink
