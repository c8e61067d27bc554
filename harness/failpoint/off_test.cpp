// The off build: this binary links only failpoint_runtime, so FAILPOINTS_ENABLED is not defined
// and every FAILPOINT(...) is an empty expression, whatever is armed.
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "failpoint/failpoint.h"
#include "test_support.h"

#if defined(FAILPOINTS_ENABLED)
#error "failpoint_off_test must be built without FAILPOINTS_ENABLED"
#endif

// A site in a translation unit built with FAILPOINTS_ENABLED=0 (the CMake option OFF).
std::optional<std::string> SiteBuiltWithZero();

namespace failpoint {
namespace {

class OffBuildTest : public test_support::FailpointTest {};

TEST_F(OffBuildTest, ArmedSitesAreEmptyThrowNothingAndJournalNothing) {
  const auto journal = test_support::TempDir() + "journal.jsonl";
  open_journal(journal);
  configure("x=panic(boom);y=return(value);z=exit(3)");
  ASSERT_TRUE(internal::any_armed());
  // The runtime itself is armed: asking it directly fires (and journals) the panic...
  EXPECT_THROW(internal::eval("x"), Panic);
  const auto armed_lines = test_support::ReadLines(journal).size();
  ASSERT_EQ(armed_lines, 1u);

  // ...but a site compiled in this build ignores it.
  std::optional<std::string> x, y, z;
  EXPECT_NO_THROW(x = FAILPOINT("x"));
  EXPECT_NO_THROW(y = FAILPOINT("y"));
  EXPECT_NO_THROW(z = FAILPOINT("z"));
  EXPECT_EQ(x, std::nullopt);
  EXPECT_EQ(y, std::nullopt);
  EXPECT_EQ(z, std::nullopt);
  EXPECT_NO_THROW(x = SiteBuiltWithZero());
  EXPECT_EQ(x, std::nullopt);
  EXPECT_EQ(test_support::ReadLines(journal).size(), armed_lines);
}

}  // namespace
}  // namespace failpoint
