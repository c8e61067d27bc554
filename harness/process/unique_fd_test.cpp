#include "unique_fd.h"

#include <fcntl.h>
#include <gtest/gtest.h>

#include <cerrno>

namespace harness {
namespace {

bool is_open(int fd) {
  return ::fcntl(fd, F_GETFD) != -1 || errno != EBADF;
}

int open_null() {
  return ::open("/dev/null", O_RDONLY | O_CLOEXEC);
}

TEST(UniqueFd, ClosesWhatItHoldsWhenItGoes) {
  int fd = -1;
  {
    UniqueFd owner(open_null());
    fd = owner.get();
    ASSERT_GE(fd, 0);
    EXPECT_TRUE(owner);
    EXPECT_TRUE(is_open(fd));
  }
  EXPECT_FALSE(is_open(fd));
}

TEST(UniqueFd, NoneIsMinusOneAndFalse) {
  UniqueFd none;
  EXPECT_EQ(none.get(), -1);
  EXPECT_FALSE(none);
  none.reset();  // closes nothing
  EXPECT_EQ(none.release(), -1);
}

TEST(UniqueFd, AMoveHandsTheDescriptorOverOnce) {
  UniqueFd first(open_null());
  const int fd = first.get();
  UniqueFd second(std::move(first));
  EXPECT_EQ(first.get(), -1);  // NOLINT(bugprone-use-after-move): moved-from is "none"
  EXPECT_EQ(second.get(), fd);
  UniqueFd third;
  third = std::move(second);
  EXPECT_EQ(third.get(), fd);
  EXPECT_TRUE(is_open(fd));
}

TEST(UniqueFd, ResetClosesTheOldOneAndReleaseGivesUpWithoutClosing) {
  UniqueFd owner(open_null());
  const int old = owner.get();
  owner.reset(open_null());
  EXPECT_NE(owner.get(), -1);
  EXPECT_FALSE(is_open(old));
  const int kept = owner.release();
  EXPECT_EQ(owner.get(), -1);
  EXPECT_TRUE(is_open(kept));
  ::close(kept);
}

TEST(UniqueFd, AssigningOverOneClosesIt) {
  UniqueFd owner(open_null());
  const int old = owner.get();
  owner = UniqueFd();
  EXPECT_FALSE(is_open(old));
}

}  // namespace
}  // namespace harness
