// Run-time control: wait until a thread is parked at a site, resume it, the listing, and the
// journal line of a pause. Real threads; every wait is on the event itself (wait_paused, join).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "failpoint/failpoint.h"
#include "journal.h"
#include "test_support.h"
#include "testing_hooks.h"

namespace failpoint {
namespace {

using std::chrono::milliseconds;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::Optional;

constexpr milliseconds kSafety{10000};  // only a safety net: every wait returns on its event

class ControlTest : public test_support::FailpointTest {};

// What the listing says of one site, in one comparable string.
std::string Describe(const SiteState& s) {
  return s.name + " [" + s.where + "] " + s.actions.value_or("(none)") +
         " hits=" + std::to_string(s.hits) + " paused=" + std::to_string(s.paused);
}

std::vector<std::string> Listing() {
  std::vector<std::string> out;
  for (const auto& s : site_states()) out.push_back(Describe(s));
  return out;
}

TEST_F(ControlTest, WaitPausedReturnsOnceAThreadIsParkedAndResumeLetsItGoOn) {
  configure_one("x", "1*pause->return(after)");
  std::optional<std::string> first = std::string("not run");
  test_support::SiteThread t([&] { first = FAILPOINT("x"); });
  ASSERT_TRUE(wait_paused("x", kSafety));
  EXPECT_THAT(Listing(), ElementsAre("x [] 1*pause->return(after) hits=1 paused=1"));
  EXPECT_EQ(resume("x"), 1u);
  t.join();
  EXPECT_EQ(first, std::nullopt);
  // Resuming leaves the site armed: the rest of its actions go on.
  EXPECT_THAT(FAILPOINT("x"), Optional(std::string("after")));
  EXPECT_THAT(Listing(), ElementsAre("x [] 1*pause->return(after) hits=2 paused=0"));
}

TEST_F(ControlTest, WaitPausedTimesOutWhenNothingParks) {
  configure_one("x", "return");
  EXPECT_FALSE(wait_paused("x", milliseconds(20)));
  EXPECT_FALSE(wait_paused("not-armed", milliseconds(0)));
}

TEST_F(ControlTest, AResumedThreadIsOffTheCountBeforeResumeReturns) {
  // Otherwise a wait_paused right after a resume could see the pause it just released.
  configure_one("x", "1*pause->off");
  test_support::SiteThread t([] { FAILPOINT("x"); });
  ASSERT_TRUE(wait_paused("x", kSafety));
  ASSERT_EQ(resume("x"), 1u);
  EXPECT_EQ(site_states().at(0).paused, 0u);
  EXPECT_EQ(internal::paused_threads(), 0u);
  EXPECT_FALSE(wait_paused("x", milliseconds(0)));
  t.join();
}

TEST_F(ControlTest, AnArmedPauseParksAgainAfterAResume) {
  configure_one("x", "pause");
  test_support::SiteThread t([] {
    FAILPOINT("x");
    FAILPOINT("x");
  });
  ASSERT_TRUE(wait_paused("x", kSafety));
  EXPECT_EQ(resume("x"), 1u);
  ASSERT_TRUE(wait_paused("x", kSafety));  // the second pass
  EXPECT_EQ(site_states().at(0).hits, 2u);
  EXPECT_EQ(resume("x"), 1u);
  t.join();
}

TEST_F(ControlTest, ResumeReleasesEveryThreadParkedAtThatSiteAndNoOther) {
  configure("x=pause;y=pause");
  test_support::SiteThread x1([] { FAILPOINT("x"); });
  test_support::SiteThread x2([] { FAILPOINT("x"); });
  test_support::SiteThread y([] { FAILPOINT("y"); });
  ASSERT_TRUE(internal::wait_until_paused(3, kSafety));
  EXPECT_THAT(Listing(), ElementsAre("x [] pause hits=2 paused=2", "y [] pause hits=1 paused=1"));
  EXPECT_EQ(resume("x"), 2u);
  x1.join();
  x2.join();
  EXPECT_THAT(Listing(), ElementsAre("x [] pause hits=2 paused=0", "y [] pause hits=1 paused=1"));
  EXPECT_EQ(internal::paused_threads(), 1u);
  disarm("y");
  y.join();
}

TEST_F(ControlTest, DisarmingReleasesTheParkedThreadsAndClearsTheListing) {
  configure_one("x", "pause");
  std::optional<std::string> result = std::string("not run");
  test_support::SiteThread t([&] { result = FAILPOINT("x"); });
  ASSERT_TRUE(wait_paused("x", kSafety));
  disarm("x");
  t.join();
  EXPECT_EQ(result, std::nullopt);
  EXPECT_TRUE(Listing().empty());  // nothing declared, nothing armed
  EXPECT_EQ(resume("x"), 0u);      // nothing left to release
  EXPECT_FALSE(wait_paused("x", milliseconds(0)));
}

TEST_F(ControlTest, ReArmingReleasesTheParkedThreadAndStartsTheCountsAfresh) {
  configure_one("x", "pause");
  test_support::SiteThread t([] { FAILPOINT("x"); });
  ASSERT_TRUE(wait_paused("x", kSafety));
  configure_one("x", "return(new)");
  t.join();
  EXPECT_THAT(Listing(), ElementsAre("x [] return(new) hits=0 paused=0"));
}

TEST_F(ControlTest, ListingShowsEveryDeclaredSiteInOrderArmedOrNot) {
  declare_sites({{"b.site", "where b is"}, {"a.site", "where a is"}});
  configure_one("a.site", "2*off->return(1)");
  FAILPOINT("a.site");
  FAILPOINT("b.site");
  EXPECT_THAT(Listing(), ElementsAre("b.site [where b is] (none) hits=0 paused=0",
                                     "a.site [where a is] 2*off->return(1) hits=1 paused=0"));
}

TEST_F(ControlTest, UndeclaredSitesAreUnknownToEveryControl) {
  declare_sites({{"a.site", "here"}});
  const std::string message = "failpoint 'nope': unknown site (known: a.site)";
  const auto expect_unknown = [&](auto&& call) {
    try {
      call();
      ADD_FAILURE() << "no error";
    } catch (const UnknownSiteError& e) {
      EXPECT_EQ(e.what(), message);
    }
  };
  expect_unknown([] { check_site("nope"); });
  expect_unknown([] { wait_paused("nope", milliseconds(0)); });
  expect_unknown([] { resume("nope"); });
  expect_unknown([] { configure_one("nope", "panic"); });
  EXPECT_NO_THROW(check_site("a.site"));
  // Bad actions are a plain SpecError, not an unknown site.
  try {
    configure_one("a.site", "panik");
    ADD_FAILURE() << "no error";
  } catch (const UnknownSiteError&) {
    ADD_FAILURE() << "bad actions reported as an unknown site";
  } catch (const SpecError&) {
  }
}

TEST_F(ControlTest, APauseIsJournalledAsParkedBeforeWaitPausedReturns) {
  const std::string path = test_support::TempDir() + "journal.jsonl";
  open_journal(path);
  configure_one("x", "pause");
  test_support::SiteThread t([] { FAILPOINT("x"); });
  ASSERT_TRUE(wait_paused("x", kSafety));
  const auto lines = test_support::ReadLines(path);  // read while the thread is still parked
  ASSERT_EQ(lines.size(), 1u);
  const auto record = test_support::ParseJournalLine(lines[0]);
  EXPECT_EQ(record.site, "x");
  EXPECT_EQ(record.task, "pause");
  EXPECT_EQ(record.hit, 1u);
  EXPECT_EQ(record.parked, std::optional<bool>(true));
  resume("x");
  t.join();
  EXPECT_EQ(test_support::ReadLines(path).size(), 1u);  // resuming writes nothing
}

TEST_F(ControlTest, JournalLineOfAPauseEndsWithParked) {
  EXPECT_EQ(internal::journal_line(2, "s", "pause", "", "t", 1, 5, 9, true),
            "{\"hit\":2,\"site\":\"s\",\"task\":\"pause\",\"arg\":\"\",\"thread\":\"t\","
            "\"seed\":1,\"mono_ns\":5,\"pid\":9,\"parked\":true}\n");
  EXPECT_EQ(internal::journal_line(2, "s", "pause", "", "t", 1, 5, 9, false),
            "{\"hit\":2,\"site\":\"s\",\"task\":\"pause\",\"arg\":\"\",\"thread\":\"t\","
            "\"seed\":1,\"mono_ns\":5,\"pid\":9,\"parked\":false}\n");
  EXPECT_THAT(test_support::ParseJournalLine(
                  "{\"hit\":2,\"site\":\"s\",\"task\":\"pause\",\"arg\":\"\",\"thread\":\"t\","
                  "\"seed\":1,\"mono_ns\":5,\"pid\":9,\"parked\":false}"),
              Field(&test_support::JournalRecord::parked, std::optional<bool>(false)));
}

}  // namespace
}  // namespace failpoint
