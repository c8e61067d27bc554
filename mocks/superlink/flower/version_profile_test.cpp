// The version table: each profile's data, checked against Flower's source at its tag (the file
// and function named beside each check).
#include "superlink/flower/version_profile.h"

#include <gtest/gtest.h>

#include "flower_api/fleet_api_names.h"
#include "superlink/flower/exit_codes.h"

namespace superlink {
namespace {

TEST(VersionProfile, KnowsTheTwoVersionsAndNothingElse) {
  EXPECT_EQ(known_versions(), "1.18, 1.26");
  ASSERT_NE(find_version_profile("1.18"), nullptr);
  ASSERT_NE(find_version_profile("1.26"), nullptr);
  EXPECT_EQ(find_version_profile("1.21"), nullptr);
  EXPECT_EQ(find_version_profile(""), nullptr);
  EXPECT_EQ(active_profile().name, "1.18");  // the default
}

TEST(VersionProfile, EachVersionMatchesTheSharedNames) {
  for (const VersionProfile& profile : version_profiles()) {
    const auto* names = superlink_api::find_version(profile.name);
    ASSERT_NE(names, nullptr) << profile.name;
    EXPECT_EQ(profile.fleet_routes.data(), names->fleet_routes.data()) << profile.name;
    EXPECT_EQ(has_control_api_flag(profile), names->control_api_flag == "--control-api-address");
  }
}

// v1.26.1 flwr/server/superlink/fleet/rest_rere/rest_api.py: the @rest_request_response
// routes; create-node and ping are gone.
TEST(VersionProfile, Routes126AreTheTwelveOf1261) {
  const auto& routes = find_version_profile("1.26")->fleet_routes;
  EXPECT_EQ(routes.size(), 12u);
  for (std::string_view gone : {"create-node", "delete-node", "ping"}) {
    EXPECT_EQ(std::find(routes.begin(), routes.end(), gone), routes.end()) << gone;
  }
  EXPECT_NE(std::find(routes.begin(), routes.end(), "send-node-heartbeat"), routes.end());
}

// v1.26.1 flwr/common/exit/exit_code.py (ExitCode, EXIT_CODE_HELP) and exit.py (HELP_PAGE_URL).
TEST(VersionProfile, ExitCodes126AreThoseOf1261) {
  const VersionProfile& profile = *find_version_profile("1.26");
  std::vector<int> codes;
  for (const auto& info : profile.exit_codes) codes.push_back(info.code);
  EXPECT_EQ(codes, (std::vector<int>{0,   1,   2,   3,   100, 101, 102, 103, 104, 105, 200, 201,
                                     202, 203, 300, 302, 303, 304, 400, 500, 600, 601, 602, 700}));
  EXPECT_EQ(profile.help_url_prefix, "https://flower.ai/docs/framework/v1.26.1/en/ref-exit-codes/");
  EXPECT_EQ(find_version_profile("1.18")->help_url_prefix,
            "https://flower.ai/docs/framework/ref-exit-codes/");
  // FORCE_EXIT_TIMEOUT_SECONDS (supercore/constant.py) is 5; 1.18's flwr_exit has no watchdog.
  EXPECT_EQ(profile.forced_exit_after, std::chrono::seconds(5));
  EXPECT_EQ(find_version_profile("1.18")->forced_exit_after.count(), 0);
}

TEST(VersionProfile, ExitBlockFollowsTheActiveVersion) {
  set_active_profile(*find_version_profile("1.26"));
  EXPECT_EQ(exit_block(105, ""),
            "Exit Code: 105\n\nThe database schema does not match the expected schema for this "
            "version of SuperLink. Please refer to the documentation for guidance on how to "
            "resolve this issue.\n\nFor more information, visit: "
            "<https://flower.ai/docs/framework/v1.26.1/en/ref-exit-codes/105.html>");
  set_active_profile(*find_version_profile("1.18"));
  EXPECT_EQ(find_exit_code(105), nullptr);  // 1.18 has no such code
}

// v1.26.1 server/app.py, run_superlink: no scheduler thread; `--isolation subprocess` Popens
// flower-superexec. Its lines: serverappio_grpc.py, control_grpc.py, app.py (_run_fleet_api_*).
TEST(VersionProfile, Profile126HasNoSchedulerAndTheRuntimePrefix) {
  const VersionProfile& profile = *find_version_profile("1.26");
  EXPECT_FALSE(profile.scheduler_thread);
  EXPECT_TRUE(find_version_profile("1.18")->scheduler_thread);
  EXPECT_EQ(profile.control_api_line, "Flower Deployment Runtime: Starting Control API on {}");
  EXPECT_EQ(profile.serverappio_line, "Flower Deployment Runtime: Starting ServerAppIo API on {}");
  EXPECT_TRUE(profile.persona_refuses_port_zero);  // supercore/address.py: port < 1 is invalid
}

TEST(VersionProfile, SchedulerSitesBelongTo118Only) {
  const VersionProfile& v126 = *find_version_profile("1.26");
  EXPECT_EQ(site_of_other_version(v126, "scheduler.tick"),
            "failpoint 'scheduler.tick' exists in Flower 1.18 only; this SuperLink imitates "
            "Flower 1.26 (--flower-version)");
  EXPECT_EQ(site_of_other_version(v126, "rest.request"), "");
  EXPECT_EQ(site_of_other_version(v126, "no.such.site"), "");
  EXPECT_NE(site_of_other_version(*find_version_profile("1.18"), "superexec.poll"), "");
  std::vector<std::string> names;
  for (const auto& site : all_sites(v126)) names.push_back(site.name);
  EXPECT_EQ(names, (std::vector<std::string>{"rest.start", "rest.listen", "rest.request",
                                             "grpc.request", "grpc.handler", "superlink.startup",
                                             "exit.handler", "superexec.start", "superexec.poll"}));
}

}  // namespace
}  // namespace superlink
