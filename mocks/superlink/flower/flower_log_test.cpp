#include "superlink/flower/flower_log.h"

#include <gtest/gtest.h>
#include <spdlog/details/log_msg.h>

namespace superlink {
namespace {

std::string formatted(spdlog::level::level_enum level, std::string_view text, bool colour) {
  FlowerFormatter formatter({spdlog::level::info, colour, false});
  spdlog::details::log_msg msg("flwr", level, spdlog::string_view_t(text.data(), text.size()));
  spdlog::memory_buf_t out;
  formatter.format(msg, out);
  return std::string(out.data(), out.size());
}

TEST(FlowerLog, ColouredPrefixesHaveFlowersPadding) {
  EXPECT_EQ(formatted(spdlog::level::info, "msg", true), "\033[92mINFO \033[0m:      msg\n");
  EXPECT_EQ(formatted(spdlog::level::warn, "msg", true), "\033[93mWARNING \033[0m:   msg\n");
  EXPECT_EQ(formatted(spdlog::level::err, "msg", true), "\033[91mERROR \033[0m:     msg\n");
  EXPECT_EQ(formatted(spdlog::level::debug, "msg", true), "\033[94mDEBUG \033[0m:     msg\n");
}

TEST(FlowerLog, PlainPrefixesWithoutColour) {
  EXPECT_EQ(formatted(spdlog::level::info, "msg", false), "INFO :      msg\n");
  EXPECT_EQ(formatted(spdlog::level::err, "msg", false), "ERROR :     msg\n");
  EXPECT_EQ(level_prefix(spdlog::level::err, false), "ERROR :     ");
}

TEST(FlowerLog, OnlyTheFirstLineOfARecordCarriesThePrefix) {
  EXPECT_EQ(formatted(spdlog::level::err, "Exit Code: 100\n\nhelp", false),
            "ERROR :     Exit Code: 100\n\nhelp\n");
}

TEST(FlowerLog, DebugAddsATimestampBeforeTheReset) {
  FlowerFormatter formatter({spdlog::level::debug, false, true});
  spdlog::details::log_msg msg("flwr", spdlog::level::info, "msg");
  spdlog::memory_buf_t out;
  formatter.format(msg, out);
  const std::string line(out.data(), out.size());
  // "INFO 2024-05-01 10:00:00,123:      msg"
  ASSERT_EQ(line.size(), std::string("INFO 2024-05-01 10:00:00,123:      msg\n").size()) << line;
  EXPECT_EQ(line.substr(0, 5), "INFO ");
  EXPECT_EQ(line[24], ',');
  EXPECT_EQ(line.substr(28), ":      msg\n");
}

TEST(FlowerLog, EnvironmentPicksLevelAndColour) {
  ::setenv("FLWR_LOG_LEVEL", "debug", 1);
  ::setenv("NO_COLOR", "", 1);
  auto result = log_settings_from_env();
  EXPECT_FALSE(result.error);
  EXPECT_EQ(result.settings.level, spdlog::level::debug);
  EXPECT_TRUE(result.settings.timestamps);
  EXPECT_FALSE(result.settings.colour);
  ::setenv("FLWR_LOG_LEVEL", "LOUD", 1);
  result = log_settings_from_env();
  ASSERT_TRUE(result.error);
  EXPECT_EQ(*result.error,
            "FLWR_LOG_LEVEL: unknown level 'LOUD' (known: DEBUG, INFO, WARNING, ERROR, CRITICAL)");
  ::unsetenv("FLWR_LOG_LEVEL");
  ::unsetenv("NO_COLOR");
  result = log_settings_from_env();
  EXPECT_EQ(result.settings.level, spdlog::level::info);
  EXPECT_TRUE(result.settings.colour);
}

TEST(FlowerLog, FlowerModeColoursAlwaysAndWordsABadLevelAsFlowerDoes) {
  ::setenv("FLWR_LOG_LEVEL", "loud", 1);
  ::setenv("NO_COLOR", "1", 1);
  const auto result = log_settings_from_env(/*flower=*/true);
  EXPECT_TRUE(result.settings.colour);
  EXPECT_EQ(result.settings.level, spdlog::level::info);
  ASSERT_TRUE(result.error);
  EXPECT_EQ(*result.error, "Failed to set logging level LOUD. Using default level: INFO");
  ::setenv("FLWR_LOG_LEVEL", "", 1);  // empty is unset, as for Flower's `if log_level :=`
  EXPECT_FALSE(log_settings_from_env(true).error);
  ::unsetenv("FLWR_LOG_LEVEL");
  ::unsetenv("NO_COLOR");
}

}  // namespace
}  // namespace superlink
