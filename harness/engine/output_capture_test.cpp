#include "output_capture.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace harness {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;

std::vector<std::string> texts(const std::vector<LogLine>& lines) {
  std::vector<std::string> out;
  for (const LogLine& line : lines) out.push_back(line.text);
  return out;
}

TEST(StripAnsi, RemovesCsiSequencesAndKeepsText) {
  EXPECT_EQ(strip_ansi("\x1b[92mINFO \x1b[0m:      hello"), "INFO :      hello");
  EXPECT_EQ(strip_ansi("a\x1b[1;31mb\x1b[Kc"), "abc");
  EXPECT_EQ(strip_ansi("plain"), "plain");
  EXPECT_EQ(strip_ansi("torn\x1b[12"), "torn");
}

TEST(OutputCapture, SplitsLinesAcrossReadsAndKeepsThePartialLastLine) {
  std::vector<std::string> live;
  OutputCapture capture(1 << 20, [&](const LogLine& line) { live.push_back(line.raw); });
  capture.feed(Stream::Stderr, "first li", Nanos(1));
  capture.feed(Stream::Stdout, "out\n", Nanos(2));
  capture.feed(Stream::Stderr, "ne\r\nsecond\nthi", Nanos(3));
  capture.finish(Stream::Stderr, Nanos(4));
  capture.finish(Stream::Stdout, Nanos(4));
  const CapturedLog log = capture.take();
  EXPECT_THAT(texts(log.head), ElementsAre("out", "first line", "second", "thi"));
  EXPECT_THAT(live, ElementsAre("out", "first line", "second", "thi"));
  EXPECT_EQ(log.head[0].stream, Stream::Stdout);
  EXPECT_EQ(log.head[1].stream, Stream::Stderr);
  EXPECT_EQ(log.head[1].at, Nanos(3));
  EXPECT_EQ(log.total_bytes, 26u);
  EXPECT_EQ(log.dropped_lines, 0u);
}

TEST(OutputCapture, KeepsHeadAndTailWithinTheBudgetAndCountsTheMiddle) {
  // A 9-byte line fits the small-string buffer: it costs the overhead alone, 11 lines a side.
  OutputCapture capture(22 * OutputCapture::kLineOverhead, nullptr);
  for (int i = 0; i < 100; ++i) {
    capture.feed(Stream::Stderr, "line " + std::to_string(1000 + i) + "\n", Nanos(i));
  }
  EXPECT_LE(capture.kept_bytes(), 22 * OutputCapture::kLineOverhead);
  const CapturedLog log = capture.take();
  ASSERT_EQ(log.head.size(), 11u);
  ASSERT_EQ(log.tail.size(), 11u);
  EXPECT_EQ(log.head.front().text, "line 1000");
  EXPECT_EQ(log.head.back().text, "line 1010");
  EXPECT_EQ(log.tail.front().text, "line 1089");
  EXPECT_EQ(log.tail.back().text, "line 1099");
  EXPECT_EQ(log.dropped_lines, 78u);
  EXPECT_EQ(log.dropped_bytes, 78u * 10);
  EXPECT_EQ(log.total_bytes, 1000u);
}

// Empty lines used to cost nothing, so a flood of newlines filled the head without end.
TEST(OutputCapture, ChargesEmptyAndOneByteLinesTheirSlot) {
  for (const std::string line : {"\n", "a\n"}) {
    constexpr std::size_t kBudget = 64 * 1024;
    OutputCapture capture(kBudget, nullptr);
    std::string chunk;
    for (int i = 0; i < 1000; ++i) chunk += line;
    for (int i = 0; i < 1000; ++i) capture.feed(Stream::Stdout, chunk, Nanos(i));
    EXPECT_LE(capture.kept_bytes(), kBudget);
    const CapturedLog log = capture.take();
    const std::size_t per_side = kBudget / 2 / OutputCapture::kLineOverhead;
    EXPECT_EQ(log.head.size(), per_side);
    EXPECT_EQ(log.tail.size(), per_side);
    EXPECT_EQ(log.dropped_lines, 1'000'000u - 2 * per_side);
    EXPECT_EQ(log.total_bytes, 1'000'000u * line.size());
  }
}

// A line that grew by appends is kept at its size, not at the capacity the appends left.
TEST(OutputCapture, AKeptLineCostsItsBytesNotItsGrowth) {
  OutputCapture capture(1 << 20, nullptr);
  // 32-byte appends double the capacity up to 32 KiB; one more makes it 64 KiB for 32800 bytes.
  for (int i = 0; i < 1025; ++i) capture.feed(Stream::Stderr, std::string(32, 'x'), Nanos(0));
  capture.feed(Stream::Stderr, "\n", Nanos(0));
  EXPECT_EQ(capture.kept_bytes(), OutputCapture::kLineOverhead + 2 * (32'800 + 1));
  const CapturedLog log = capture.take();
  ASSERT_EQ(log.head.size(), 1u);
  EXPECT_EQ(log.head[0].raw.size(), 32'800u);
}

TEST(OutputCapture, CutsAnOverlongLineAndCountsTheRestAsDropped) {
  OutputCapture capture(1 << 20, nullptr, /*max_line_bytes=*/8);
  capture.feed(Stream::Stderr, "0123456789", Nanos(0));
  capture.feed(Stream::Stderr, "abc\nok\n", Nanos(0));
  const CapturedLog log = capture.take();
  EXPECT_THAT(log.head, ElementsAre(Field(&LogLine::raw, "01234567"), Field(&LogLine::raw, "ok")));
  EXPECT_EQ(log.dropped_bytes, 5u);
  EXPECT_EQ(log.dropped_lines, 0u);
}

}  // namespace
}  // namespace harness
