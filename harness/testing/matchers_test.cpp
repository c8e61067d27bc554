#include "harness/testing/matchers.h"

#include <gtest/gtest.h>

#include <csignal>

namespace harness::test_support {
namespace {

using ::testing::DescribeMatcher;
using ::testing::Not;
using ::testing::StringMatchResultListener;

// Runs `matcher` on `result`: whether it matched, and what it explained.
std::pair<bool, std::string> explain(const RunMatcher& matcher, const RunResult& result) {
  StringMatchResultListener listener;
  const bool matched = matcher.MatchAndExplain(result, &listener);
  return {matched, listener.str()};
}

RunResult ended(Termination::Kind kind, int code = 0, int signal = 0) {
  RunResult result;
  result.end.kind = kind;
  result.end.code = code;
  result.end.signal = signal;
  return result;
}

RunResult with_stderr(const std::vector<std::string>& lines) {
  RunResult result = ended(Termination::Kind::Exited, 100);
  for (const auto& text : lines) result.log.head.push_back({Stream::Stderr, Nanos{0}, text, text});
  return result;
}

RunResult with_journal(const std::vector<std::pair<std::string, std::string>>& firings) {
  RunResult result = ended(Termination::Kind::Exited, 100);
  for (const auto& [site, task] : firings) {
    JournalEntry entry;
    entry.site = site;
    entry.task = task;
    result.journal.push_back(entry);
  }
  return result;
}

TEST(ExitsWith, DescribesAndExplainsTheEnding) {
  EXPECT_EQ(DescribeMatcher<const RunResult&>(ExitsWith(100)), "exits with status 100");
  EXPECT_EQ(DescribeMatcher<const RunResult&>(ExitsWith(100), true),
            "does not exit with status 100");
  EXPECT_EQ(explain(ExitsWith(100), ended(Termination::Kind::Exited, 100)),
            std::make_pair(true, std::string("which ended: exited with status 100")));
  EXPECT_EQ(explain(ExitsWith(100), ended(Termination::Kind::Exited, 1)),
            std::make_pair(false, std::string("which ended: exited with status 1")));
  RunResult aborted = ended(Termination::Kind::Signaled, 0, SIGABRT);
  aborted.end.core_dumped = true;
  EXPECT_EQ(
      explain(ExitsWith(134), aborted),
      std::make_pair(false, std::string("which ended: killed by signal SIGABRT (core dumped)")));
}

TEST(KilledBy, MatchesOnlyThatSignal) {
  EXPECT_EQ(DescribeMatcher<const RunResult&>(KilledBy(SIGSEGV)), "is killed by signal SIGSEGV");
  EXPECT_EQ(DescribeMatcher<const RunResult&>(KilledBy(SIGSEGV), true),
            "is not killed by signal SIGSEGV");
  EXPECT_TRUE(explain(KilledBy(SIGSEGV), ended(Termination::Kind::Signaled, 0, SIGSEGV)).first);
  EXPECT_FALSE(explain(KilledBy(SIGSEGV), ended(Termination::Kind::Signaled, 0, SIGABRT)).first);
  RunResult timed_out = ended(Termination::Kind::TimedOut);
  timed_out.end.ignored_sigterm = true;
  EXPECT_EQ(explain(KilledBy(SIGKILL), timed_out),
            std::make_pair(false, std::string("which ended: timed out (SIGTERM ignored, killed)")));
}

TEST(StillRunning, MatchesARunTheHarnessStopped) {
  EXPECT_EQ(DescribeMatcher<const RunResult&>(StillRunning()),
            "is still running at the end of the run");
  EXPECT_EQ(
      explain(StillRunning(), ended(Termination::Kind::StillRunning)),
      std::make_pair(true, std::string("which ended: still running (stopped by the harness)")));
  RunResult not_started = ended(Termination::Kind::NotStarted);
  not_started.harness_error = "cannot spawn /nope";
  EXPECT_EQ(explain(StillRunning(), not_started),
            std::make_pair(false, std::string("which ended: did not start: cannot spawn /nope")));
}

TEST(StderrHasLinesInOrder, ExplainsWhereItMatched) {
  const auto matcher = StderrHasLinesInOrder({"Exit Code: 100", "crashed"});
  EXPECT_EQ(DescribeMatcher<const RunResult&>(matcher),
            "has stderr lines matching, in order: /Exit Code: 100/, /crashed/");
  EXPECT_EQ(explain(matcher, with_stderr({"x", "Exit Code: 100", "thread crashed"})),
            std::make_pair(true, std::string("which matched at lines 2, 3")));
}

TEST(StderrHasLinesInOrder, ExplainsTheMissingLineAndTheNearestOne) {
  const auto matcher = StderrHasLinesInOrder({"crashed", "Exit Code: 100"});
  EXPECT_EQ(explain(matcher, with_stderr({"ERROR :     Exit Code: 100", "thread crashed"})),
            std::make_pair(false, std::string("whose stderr (2 lines) has no line matching "
                                              "/Exit Code: 100/ after line 2; nearest: line 1 "
                                              "\"ERROR :     Exit Code: 100\"")));
  EXPECT_EQ(explain(StderrHasLinesInOrder({"("}), with_stderr({})),
            std::make_pair(false, std::string("which cannot be checked: a pattern is not a valid "
                                              "RE2 pattern: missing ): (")));
}

TEST(StderrHasNoLine, NamesTheLineThatMatches) {
  const auto matcher = StderrHasNoLine("terminated gracefully");
  EXPECT_EQ(DescribeMatcher<const RunResult&>(matcher),
            "has no stderr line matching /terminated gracefully/");
  EXPECT_EQ(DescribeMatcher<const RunResult&>(matcher, true),
            "has a stderr line matching /terminated gracefully/");
  EXPECT_EQ(explain(matcher, with_stderr({"a", "b"})),
            std::make_pair(true, std::string("whose 2 stderr lines do not match it")));
  EXPECT_EQ(explain(matcher, with_stderr({"a", "SuperLink terminated gracefully."})),
            std::make_pair(false, std::string("whose stderr line 2 matches: \"SuperLink "
                                              "terminated gracefully.\"")));
}

TEST(Fired, IgnoresPassesThatDidNothing) {
  EXPECT_EQ(DescribeMatcher<const RunResult&>(Fired("scheduler.tick")),
            "fired failpoint scheduler.tick");
  EXPECT_EQ(explain(Fired("scheduler.tick"), with_journal({{"scheduler.tick", "off"}})),
            std::make_pair(false, std::string("which fired: none")));
  EXPECT_EQ(explain(Fired("scheduler.tick"),
                    with_journal({{"rest.start", "return"}, {"scheduler.tick", "panic"}})),
            std::make_pair(true, std::string("which fired: rest.start, scheduler.tick")));
}

TEST(FiredExactly, NamesMissingAndUnexpectedSites) {
  const auto matcher = FiredExactly({"scheduler.tick", "rest.start"});
  EXPECT_EQ(DescribeMatcher<const RunResult&>(matcher),
            "fired exactly these failpoints: rest.start, scheduler.tick");
  EXPECT_EQ(explain(matcher, with_journal({{"rest.start", "panic"}, {"scheduler.tick", "panic"}})),
            std::make_pair(true, std::string("which fired: rest.start, scheduler.tick")));
  EXPECT_EQ(explain(matcher, with_journal({{"rest.request", "panic"}, {"rest.start", "panic"}})),
            std::make_pair(false, std::string("which fired: rest.request, rest.start; never "
                                              "fired: scheduler.tick; not expected: "
                                              "rest.request")));
  EXPECT_TRUE(explain(FiredExactly({}), with_journal({{"a", "off"}})).first);
}

TEST(Matchers, ComposeWithGoogleMock) {
  const RunResult result = with_stderr({"Exit Code: 100"});
  EXPECT_THAT(result, ::testing::AllOf(ExitsWith(100), Not(KilledBy(SIGABRT)),
                                       StderrHasLinesInOrder({"Exit Code"}),
                                       StderrHasNoLine("gracefully"), FiredExactly({})));
}

}  // namespace
}  // namespace harness::test_support
