#include "harness/line_match.h"

#include <gtest/gtest.h>

#include "harness/verdict.h"  // lines_of

namespace harness {
namespace {

CapturedLog make_log(const std::vector<std::pair<Stream, std::string>>& lines) {
  CapturedLog log;
  for (const auto& [stream, text] : lines) log.head.push_back({stream, Nanos{0}, text, text});
  return log;
}

TEST(LinesOf, KeepsOneStreamWithIndexesIntoHeadThenTail) {
  CapturedLog log = make_log({{Stream::Stderr, "a"}, {Stream::Stdout, "b"}});
  log.tail.push_back({Stream::Stderr, Nanos{0}, "c", "c"});
  const auto lines = lines_of(log, Stream::Stderr);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].index, 0u);
  EXPECT_EQ(lines[0].text, "a");
  EXPECT_EQ(lines[1].index, 2u);
  EXPECT_EQ(lines[1].text, "c");
}

TEST(MatchInOrder, EachPatternMatchesStrictlyAfterThePreviousMatch) {
  const CapturedLog log = make_log({{Stream::Stderr, "Exit Code: 100"},
                                    {Stream::Stderr, "crashed"},
                                    {Stream::Stderr, "Exit Code: 100 again"}});
  const auto matches = match_in_order(lines_of(log, Stream::Stderr), {"Exit Code", "Exit Code"});
  ASSERT_EQ(matches.size(), 2u);
  EXPECT_EQ(matches[0].line, 0u);
  EXPECT_EQ(matches[0].after, std::nullopt);
  EXPECT_EQ(matches[1].line, 2u);
  EXPECT_EQ(matches[1].after, 0u);
}

TEST(MatchInOrder, AMissingPatternLeavesThePositionWhereItWas) {
  const CapturedLog log = make_log({{Stream::Stderr, "one"}, {Stream::Stderr, "two"}});
  const auto matches = match_in_order(lines_of(log, Stream::Stderr), {"two", "one", "t.o"});
  EXPECT_EQ(matches[0].line, 1u);
  EXPECT_EQ(matches[1].line, std::nullopt);
  EXPECT_EQ(matches[1].after, 1u);
  EXPECT_EQ(matches[2].line, std::nullopt);
  EXPECT_EQ(matches[2].after, 1u);
}

TEST(MatchInOrder, ThrowsOnABadPattern) {
  EXPECT_THROW(match_in_order({}, {"("}), PatternError);
  EXPECT_THROW(matching_lines({}, "(a)\\1"), PatternError);
}

TEST(MatchingLines, ListsEveryMatchingLine) {
  const CapturedLog log =
      make_log({{Stream::Stderr, "ok"}, {Stream::Stdout, "bad"}, {Stream::Stderr, "bad news"}});
  EXPECT_EQ(matching_lines(lines_of(log, Stream::Stderr), "bad"), std::vector<std::size_t>{2});
}

TEST(LiteralText, ResolvesEscapesAndDropsOperators) {
  EXPECT_EQ(literal_text(R"(Exit Code: 1\d\d)"), "Exit Code: 1");
  EXPECT_EQ(literal_text(R"(crashed\.$)"), "crashed.");
  EXPECT_EQ(literal_text(R"(^(a|b)x{2,3}[yz]+)"), "abxyz");
}

TEST(NearestLine, PicksTheLineClosestToThePatternsLiteralText) {
  const CapturedLog log = make_log({{Stream::Stderr, "INFO :      Starting"},
                                    {Stream::Stderr, "ERROR :     Exit Code: 1"},
                                    {Stream::Stderr, "unrelated"}});
  const auto nearest = nearest_line(lines_of(log, Stream::Stderr), R"(Exit Code: 100)");
  ASSERT_TRUE(nearest.has_value());
  EXPECT_EQ(nearest->index, 1u);
}

TEST(NearestLine, PrefersALineAfterThePreviousMatchOnATie) {
  const CapturedLog log = make_log({{Stream::Stderr, "abc"}, {Stream::Stderr, "abc"}});
  EXPECT_EQ(nearest_line(lines_of(log, Stream::Stderr), "abd")->index, 0u);
  EXPECT_EQ(nearest_line(lines_of(log, Stream::Stderr), "abd", 0u)->index, 1u);
}

TEST(NearestLine, IsEmptyWhenNoLineSharesAnything) {
  const CapturedLog log = make_log({{Stream::Stderr, "zzz"}});
  EXPECT_EQ(nearest_line(lines_of(log, Stream::Stderr), "abc"), std::nullopt);
}

}  // namespace
}  // namespace harness
