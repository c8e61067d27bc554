// flower-superexec as a real process: it watches its parent as Flower 1.26.1's does
// (supercore/app_utils.py start_parent_process_monitor: SIGINT to itself once the pid is gone,
// then the graceful exit of common/exit/signal_handler.py), and fires its own sites.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>

#include "superlink/testing/spawned_process.h"

namespace superlink {
namespace {

using test_support::ExitInfo;
using test_support::SpawnedProcess;

constexpr std::chrono::seconds kSafety{20};

std::vector<std::string> superexec_argv(pid_t parent) {
  return {FLOWER_SUPEREXEC_BIN, "--insecure", "--appio-api-address", "127.0.0.1:9091",
          "--plugin-type",      "serverapp",  "--parent-pid",        std::to_string(parent)};
}

TEST(Superexec, ExitsGracefullyOnceItsParentIsGone) {
  SpawnedProcess parent({"/bin/sleep", "600"});
  SpawnedProcess superexec(superexec_argv(parent.pid()), {"NO_COLOR=1"});
  ::kill(parent.pid(), SIGKILL);
  parent.wait_exit(kSafety);  // reaped: the pid is gone
  const ExitInfo exit = superexec.wait_exit(kSafety);
  EXPECT_TRUE(exit.exited);
  EXPECT_EQ(exit.status, 0);
  // Its first line, as the real 1.26.1's, then its last.
  EXPECT_EQ(superexec.stderr_text(),
            "\033[92mINFO \033[0m:      Starting Flower SuperExec\n"
            "\033[92mINFO \033[0m:      SuperExec terminated gracefully.\n");
}

TEST(Superexec, StaysWhileItsParentLives) {
  SpawnedProcess superexec(superexec_argv(::getpid()),
                           {"FAILPOINTS=superexec.poll=2*off->print(third pass)"});
  // The third pass of the main loop comes about 2 s in: the parent watch (every 200 ms) has
  // looked at a living parent ten times by then.
  EXPECT_TRUE(superexec.wait_for_stderr("failpoint superexec.poll: third pass", 1, kSafety));
  ::kill(superexec.pid(), SIGTERM);
  EXPECT_EQ(superexec.wait_exit(kSafety).status, 0);
}

TEST(Superexec, PanicAtStartDiesWithStatusOne) {
  SpawnedProcess superexec(superexec_argv(::getpid()),
                           {"FAILPOINTS=superexec.start=panic(cannot connect)"});
  const ExitInfo exit = superexec.wait_exit(kSafety);
  EXPECT_EQ(exit.status, 1);
  EXPECT_THAT(superexec.stderr_text(), ::testing::HasSubstr("\nRuntimeError: cannot connect\n"));
}

TEST(Superexec, ListsItsOwnSites) {
  SpawnedProcess superexec({FLOWER_SUPEREXEC_BIN, "--list-failpoints"});
  EXPECT_EQ(superexec.wait_exit(kSafety).status, 0);
  // --list-failpoints prints on stdout; stderr stays empty.
  EXPECT_EQ(superexec.stderr_text(), "");
}

TEST(Superexec, RefusesAnUnknownSite) {
  SpawnedProcess superexec(superexec_argv(::getpid()), {"FAILPOINTS=scheduler.tick=panic"});
  EXPECT_EQ(superexec.wait_exit(kSafety).status, 1);
  EXPECT_THAT(superexec.stderr_text(), ::testing::HasSubstr("scheduler.tick"));
}

}  // namespace
}  // namespace superlink
