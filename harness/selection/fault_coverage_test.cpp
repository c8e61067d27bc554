#include "fault_coverage.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace harness {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;

Scenario firing(std::string group, std::string name, std::vector<std::string> sites) {
  Scenario s;
  s.group = std::move(group);
  s.name = std::move(name);
  s.expect.fired = std::move(sites);
  return s;
}

TEST(FaultCoverage, ListsTheScenariosThatFireEachSite) {
  const std::vector<Scenario> scenarios = {
      firing("scheduler", "tick_panic", {"scheduler.tick"}),
      firing("rest", "b", {"rest.request"}),
      firing("rest", "a", {"rest.request"}),
  };
  const FaultCoverage c =
      fault_coverage({"scheduler.tick", "rest.request", "rest.listen"}, scenarios);
  EXPECT_THAT(c.sites, ElementsAre(Pair("scheduler.tick", ElementsAre("scheduler/tick_panic")),
                                   Pair("rest.request", ElementsAre("rest/a", "rest/b")),
                                   Pair("rest.listen", IsEmpty())));
  EXPECT_THAT(c.uncovered, ElementsAre("rest.listen"));
  EXPECT_THAT(c.unknown, IsEmpty());
}

TEST(FaultCoverage, NegativeScenariosAndArmedOnlySitesDoNotCount) {
  Scenario negative = firing("negative", "wrong_site", {"rest.request"});
  negative.negative = true;
  Scenario armed_only;  // armed, but no `fired` expectation: nothing proves it fired
  armed_only.failpoints["scheduler.start"] = "panic";
  const FaultCoverage c = fault_coverage({"rest.request", "scheduler.start"},
                                         {negative, armed_only, firing("x", "none", {})});
  EXPECT_THAT(c.uncovered, ElementsAre("rest.request", "scheduler.start"));
}

TEST(FaultCoverage, NamesExpectedSitesTheTargetDoesNotHave) {
  // Outside faults are the harness's, not the target's: never unknown.
  const FaultCoverage c =
      fault_coverage({"a"}, {firing("g", "n", {"a", "b.typo", "outside.database.lock"})});
  EXPECT_THAT(c.unknown, ElementsAre("b.typo"));
  EXPECT_THAT(c.uncovered, IsEmpty());
}

TEST(ParseSiteList, TakesTheFirstWordOfEachLine) {
  EXPECT_THAT(parse_site_list({"scheduler.start  scheduler thread, before", "", "  rest.listen\tx",
                               "rest.request"}),
              ElementsAre("scheduler.start", "rest.listen", "rest.request"));
}

}  // namespace
}  // namespace harness
