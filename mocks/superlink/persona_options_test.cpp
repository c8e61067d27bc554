#include "superlink/persona_options.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace superlink {
namespace {

ParseResult parse(std::vector<const char*> args) {
  args.insert(args.begin(), "/opt/bin/flower-superlink");
  return parse_persona_options(static_cast<int>(args.size()), args.data());
}

std::string refused(const std::string& message) {
  return std::string(kPersonaUsage) + "flower-superlink: error: " + message + "\n";
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
  EXPECT_TRUE(r.text.starts_with(kPersonaUsage));
  EXPECT_EQ(parse({"--he"}).kind, ParseResult::Kind::kPrint);
}

}  // namespace
}  // namespace superlink
