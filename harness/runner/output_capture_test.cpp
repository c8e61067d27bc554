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
  OutputCapture capture(400, nullptr);  // 200 bytes each side; a 9-byte line costs 18
  for (int i = 0; i < 100; ++i) {
    capture.feed(Stream::Stderr, "line " + std::to_string(1000 + i) + "\n", Nanos(i));
  }
  EXPECT_LE(capture.kept_bytes(), 400u);
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
