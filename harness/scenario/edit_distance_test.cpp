#include "edit_distance.h"

#include <gtest/gtest.h>

namespace harness::internal {
namespace {

TEST(EditDistance, WholeCountsEveryEdit) {
  EXPECT_EQ(edit_distance("exit_cod", "exit_code", Fit::Whole), 1u);
  EXPECT_EQ(edit_distance("kitten", "sitting", Fit::Whole), 3u);
  EXPECT_EQ(edit_distance("", "abc", Fit::Whole), 3u);
  EXPECT_EQ(edit_distance("abc", "", Fit::Whole), 3u);
}

TEST(EditDistance, SubstringFindsTheClosestPartOfTheHaystack) {
  EXPECT_EQ(edit_distance("code", "Exit Code: 100", Fit::Substring), 1u);
  EXPECT_EQ(edit_distance("Code", "Exit Code: 100", Fit::Substring), 0u);
  EXPECT_EQ(edit_distance("xyz", "", Fit::Substring), 3u);
  EXPECT_EQ(edit_distance("", "anything", Fit::Substring), 0u);
}

}  // namespace
}  // namespace harness::internal
