#include "scenario_set.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

#include "scenario_filter.h"

namespace harness {
namespace {

using ::testing::ElementsAre;

Scenario make(std::string group, std::string name) {
  Scenario s;
  s.group = std::move(group);
  s.name = std::move(name);
  s.file = "scenarios/" + s.group + "/" + s.name + ".toml";
  return s;
}

std::vector<std::string> names(const std::vector<Scenario>& scenarios) {
  std::vector<std::string> out;
  for (const Scenario& s : scenarios) out.push_back(qualified_name(s));
  return out;
}

std::vector<Scenario> catalogue() {
  return {make("signals", "sigterm"),    make("scheduler", "tick_panic"),
          make("rest", "request_panic"), make("scheduler", "start_return"),
          make("rest", "bind_taken"),    make("", "smoke")};
}

TEST(QualifiedName, JoinsGroupAndName) {
  EXPECT_EQ(qualified_name(make("rest", "bind_taken")), "rest/bind_taken");
  EXPECT_EQ(qualified_name(make("", "smoke")), "smoke");
}

TEST(SplitFilters, SplitsCommasAndDropsEmptyPieces) {
  EXPECT_THAT(split_filters({"rest/*,scheduler/tick*", "", ",smoke,"}),
              ElementsAre("rest/*", "scheduler/tick*", "smoke"));
}

TEST(MatchesFilter, GlobsOnQualifiedOrBareName) {
  const Scenario s = make("scheduler", "tick_panic");
  EXPECT_TRUE(matches_filter(s, {}));
  EXPECT_TRUE(matches_filter(s, {"scheduler/*"}));
  EXPECT_TRUE(matches_filter(s, {"*panic"}));
  EXPECT_TRUE(matches_filter(s, {"tick_?anic"}));
  EXPECT_TRUE(matches_filter(s, {"rest/*", "sched*/tick_[op]anic"}));
  EXPECT_FALSE(matches_filter(s, {"rest/*"}));
  EXPECT_FALSE(matches_filter(s, {"scheduler"}));
}

TEST(SelectScenarios, SortsAndFilters) {
  EXPECT_THAT(names(select_scenarios(catalogue(), {}, std::nullopt)),
              ElementsAre("rest/bind_taken", "rest/request_panic", "scheduler/start_return",
                          "scheduler/tick_panic", "signals/sigterm", "smoke"));
  EXPECT_THAT(names(select_scenarios(catalogue(), {"rest/*", "*sigterm"}, std::nullopt)),
              ElementsAre("rest/bind_taken", "rest/request_panic", "signals/sigterm"));
}

TEST(SelectScenarios, ShardsPartitionTheFilteredListExactlyOnce) {
  for (int total = 1; total <= 7; ++total) {
    std::map<std::string, int> seen;
    for (int index = 0; index < total; ++index) {
      for (const std::string& n : names(select_scenarios(catalogue(), {}, Shard{total, index}))) {
        ++seen[n];
      }
    }
    ASSERT_EQ(seen.size(), catalogue().size()) << "total=" << total;
    for (const auto& [n, count] : seen) EXPECT_EQ(count, 1) << n << " total=" << total;
  }
}

TEST(SelectScenarios, ShardTakesEveryTotalthOfTheSortedList) {
  EXPECT_THAT(names(select_scenarios(catalogue(), {}, Shard{4, 1})),
              ElementsAre("rest/request_panic", "smoke"));
  EXPECT_THAT(names(select_scenarios(catalogue(), {"scheduler/*"}, Shard{2, 1})),
              ElementsAre("scheduler/tick_panic"));
}

TEST(ShardFromEnv, UnsetMeansNoSharding) {
  EXPECT_FALSE(shard_from_env(nullptr, nullptr));
}

TEST(ShardFromEnv, ReadsBothVariables) {
  const auto shard = shard_from_env("3", "2");
  ASSERT_TRUE(shard);
  EXPECT_EQ(shard->total, 3);
  EXPECT_EQ(shard->index, 2);
}

std::string shard_error(const char* total, const char* index) {
  try {
    shard_from_env(total, index);
  } catch (const ShardError& e) {
    return e.what();
  }
  return "no error";
}

TEST(ShardFromEnv, NamesTheBadVariable) {
  EXPECT_EQ(shard_error("3", nullptr), "GTEST_TOTAL_SHARDS=3 is set but GTEST_SHARD_INDEX is not");
  EXPECT_EQ(shard_error(nullptr, "0"), "GTEST_SHARD_INDEX=0 is set but GTEST_TOTAL_SHARDS is not");
  EXPECT_EQ(shard_error("three", "0"), "GTEST_TOTAL_SHARDS='three': not a whole number");
  EXPECT_EQ(shard_error("3", "1x"), "GTEST_SHARD_INDEX='1x': not a whole number");
  EXPECT_EQ(shard_error("3", ""), "GTEST_SHARD_INDEX='': not a whole number");
  EXPECT_EQ(shard_error("0", "0"), "GTEST_TOTAL_SHARDS=0: must be at least 1");
  EXPECT_EQ(shard_error("3", "3"), "GTEST_SHARD_INDEX=3: must be in [0, 3)");
  EXPECT_EQ(shard_error("3", "-1"), "GTEST_SHARD_INDEX=-1: must be in [0, 3)");
}

}  // namespace
}  // namespace harness
