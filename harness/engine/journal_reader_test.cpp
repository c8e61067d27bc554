#include "journal_reader.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

namespace harness {
namespace {

TEST(JournalReader, ReadsEveryFieldAndSkipsATornLastLine) {
  const auto entries = parse_journal(
      R"({"hit":3,"site":"scheduler.tick","task":"panic","arg":"boom","thread":"scheduler","seed":42,"mono_ns":123456789,"pid":4242}
{"hit":1,"site":"rest.request","task":"return","arg":"503","thread":"rest","seed":42,"mono_ns":223456789,"pid":4242}
{"hit":2,"site":"rest.req)");
  ASSERT_EQ(entries.size(), 2u);
  const JournalEntry& first = entries[0];
  EXPECT_EQ(first.hit, 3u);
  EXPECT_EQ(first.site, "scheduler.tick");
  EXPECT_EQ(first.task, "panic");
  EXPECT_EQ(first.arg, "boom");
  EXPECT_EQ(first.thread, "scheduler");
  EXPECT_EQ(first.seed, 42u);
  EXPECT_EQ(first.mono_ns, 123456789);
  EXPECT_EQ(first.pid, 4242);
  EXPECT_EQ(entries[1].site, "rest.request");
  EXPECT_EQ(entries[1].arg, "503");
}

TEST(JournalReader, SkipsBlankAndGarbledLinesInTheMiddle) {
  const auto entries = parse_journal("\n\x01\x02 garbage\n{\"hit\":1,\"site\":\"a\"}\n");
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].site, "a");
  EXPECT_EQ(entries[0].arg, "");
}

TEST(JournalReader, AMissingFileIsAnEmptyJournal) {
  EXPECT_TRUE(read_journal("/nonexistent/journal.jsonl").empty());
}

TEST(JournalReader, ReadsAFile) {
  const std::string path =
      (std::filesystem::temp_directory_path() / "journal_reader_test.jsonl").string();
  std::ofstream(path) << "{\"hit\":1,\"site\":\"rest.start\",\"task\":\"return\"}\n{\"hit\"";
  const auto entries = read_journal(path);
  std::remove(path.c_str());
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].site, "rest.start");
}

}  // namespace
}  // namespace harness
