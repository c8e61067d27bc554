#include "substitutions.h"

#include <gtest/gtest.h>

namespace harness {
namespace {

const std::map<std::string, std::string> kValues = {{"fleet_address", "127.0.0.1:20001"},
                                                    {"fleet_port", "20001"},
                                                    {"database", "/tmp/run/state.db"}};

TEST(Substitutions, ReplacesEveryKnownName) {
  EXPECT_EQ(substitute("--fleet-api-address={fleet_address}", kValues),
            "--fleet-api-address=127.0.0.1:20001");
  EXPECT_EQ(substitute("{fleet_port}{fleet_port} {database}", kValues),
            "2000120001 /tmp/run/state.db");
}

TEST(Substitutions, LeavesShellBracesAndEscapesAlone) {
  EXPECT_EQ(substitute("echo ${HOME} {{fleet_port}} {", kValues), "echo ${HOME} {fleet_port} {");
  EXPECT_EQ(substitute("{\"a\": {\"b\": \"{fleet_port}\"}}", kValues),
            "{\"a\": {\"b\": \"20001\"}}");
  EXPECT_EQ(substitute("{{ x }} {{", kValues), "{{ x }} {{");
  EXPECT_EQ(substitute("awk '{print $1}'", kValues), "awk '{print $1}'");
  EXPECT_FALSE(find_unknown_substitution("echo ${HOME} {{x}} { } {a-b}"));
}

TEST(Substitutions, FindsTheFirstUnknownName) {
  const auto unknown = find_unknown_substitution("--port {fleet_port} --db {databse}");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->name, "databse");
  EXPECT_EQ(unknown->offset, 25u);
}

TEST(Substitutions, TellsWhetherANameIsUsed) {
  EXPECT_TRUE(uses_substitution("x{seed}", "seed"));
  EXPECT_FALSE(uses_substitution("x{{seed}}", "seed"));
}

}  // namespace
}  // namespace harness
