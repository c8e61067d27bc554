// `list --format json` from scenarios the real loader read: what superlink_add_scenarios turns
// into ctest names, labels and timeouts.
#include "cli/commands/catalogue_json.h"

#include <gtest/gtest.h>

#include "harness/scenario_loader.h"

namespace harness::cli {
namespace {

TEST(CatalogueJson, TakesTimeoutAndLabelsAsTomlMeansThem) {
  // Digit separators and a labels array over several lines: what CMake regexes used to miss.
  const Scenario slow = load_scenario_text(R"(description = "slow \"one\""
timeout_ms = 60_000
labels = [
  "nightly",
  "db",
]
[expect]
exit_code = 0
)",
                                           "/s/crash/slow.toml");
  const Scenario plain =
      load_scenario_text("description = \"d\"\n[expect]\nexit_code = 0\n", "/s/plain.toml");
  EXPECT_EQ(catalogue_json({slow, plain}),
            "[\n"
            "  {\"name\":\"slow\",\"group\":\"crash\",\"file\":\"/s/crash/slow.toml\","
            "\"labels\":[\"nightly\",\"db\"],\"timeout_ms\":60000,"
            "\"description\":\"slow \\\"one\\\"\"},\n"
            "  {\"name\":\"plain\",\"group\":\"s\",\"file\":\"/s/plain.toml\","
            "\"labels\":[],\"timeout_ms\":10000,\"description\":\"d\"}\n"
            "]\n");
}

TEST(CatalogueJson, NoScenarioIsAnEmptyArray) {
  EXPECT_EQ(catalogue_json({}), "[]\n");
}

}  // namespace
}  // namespace harness::cli
