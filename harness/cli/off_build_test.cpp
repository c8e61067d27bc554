// The off build (SUPERLINK_FAILPOINTS=OFF), end to end: the mock lists no sites and refuses
// arming with its own message (104); the harness skips what needs failpoints and says why.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

#include "shell_output.h"

namespace {

using ::testing::HasSubstr;

using Result = harness::cli::ShellResult;

Result shell(const std::string& command) {
  return harness::cli::run_shell(command);
}

TEST(OffBuild, TheMockListsNoSites) {
  const Result r = shell("'" MOCK_SUPERLINK "' --list-failpoints");
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.output, "");
}

TEST(OffBuild, TheMockRefusesArmingWithItsOwnMessage) {
  const Result env =
      shell("FAILPOINTS=scheduler.tick=panic NO_COLOR=1 '" MOCK_SUPERLINK "' --insecure");
  EXPECT_EQ(env.status, 104);
  EXPECT_THAT(env.output, HasSubstr("cannot arm failpoints through FAILPOINTS: this build has them "
                                    "compiled out (SUPERLINK_FAILPOINTS=OFF)\n"));
  const Result flag =
      shell("NO_COLOR=1 '" MOCK_SUPERLINK "' --insecure --failpoint scheduler.tick=panic");
  EXPECT_EQ(flag.status, 104);
  EXPECT_THAT(flag.output, HasSubstr("cannot arm failpoints through --failpoint: this build has "
                                     "them compiled out (SUPERLINK_FAILPOINTS=OFF)\n"));
}

TEST(OffBuild, TheHarnessSkipsWhatNeedsFailpoints) {
  const Result r = shell("'" SUPERLINK_HARNESS "' run '" SCENARIOS_DIR
                         "/scheduler/tick_percentage_seeded.toml' --target '" MOCK_SUPERLINK "'");
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_THAT(r.output, HasSubstr("SKIP  scheduler/tick_percentage_seeded  (skipped: requires "
                                  "failpoints; the target lists none (built with "
                                  "SUPERLINK_FAILPOINTS=OFF))\n"));
  EXPECT_THAT(r.output, HasSubstr("\n0 passed, 0 failed, 1 skipped\n"));
}

}  // namespace
