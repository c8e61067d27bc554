#include "regex_limits.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace harness {
namespace {

using ::testing::Eq;
using ::testing::Optional;

TEST(RegexLimits, AcceptsWhatScenariosWrite) {
  for (const char* pattern : {"Exit Code: 100", "a{3}", "a{2,1000}", "(x)\\1", "port [0-9]{1,5}",
                              "\\{99999}", "\\d+ 123456789012345", "\\{"}) {
    EXPECT_EQ(regex_number_too_large(pattern), std::nullopt) << pattern;
  }
}

TEST(RegexLimits, RefusesHugeCountsAndBackReferences) {
  EXPECT_THAT(regex_number_too_large("a{1001}"),
              Optional(Eq("the repetition count 1001 is over 1000")));
  EXPECT_THAT(regex_number_too_large("a{2,99999}"),
              Optional(Eq("the repetition count 99999 is over 1000")));
  EXPECT_THAT(regex_number_too_large("x\\2222222222222222222222222222222"),
              Optional(Eq("the back-reference 222222222222222222222222... is over 1000")));
}

}  // namespace
}  // namespace harness
