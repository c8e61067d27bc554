#include "syscall_names.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

namespace harness {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(SyscallNames, AreSortedForLookUp) {
  const auto& names = syscall_names();
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
  EXPECT_GT(names.size(), 300u);
}

TEST(SyscallNames, AFamilyCoversTheVariantsARuntimeMayCall) {
  EXPECT_THAT(syscall_family("accept"), ElementsAre("accept", "accept4"));
  EXPECT_THAT(syscall_family("epoll_wait"),
              ElementsAre("epoll_wait", "epoll_pwait", "epoll_pwait2"));
  EXPECT_THAT(syscall_family("clone"), ElementsAre("clone", "clone3", "fork", "vfork"));
  EXPECT_THAT(syscall_family("accept4"), ElementsAre("accept4"));  // a variant is itself alone
  EXPECT_THAT(syscall_family("pread64"), ElementsAre("pread64"));
  EXPECT_THAT(syscall_family("acept"), IsEmpty());
}

TEST(SyscallNames, EveryVariantIsASystemCallOfTheMachine) {
  for (const std::string& family : syscall_families()) {
    const std::string head = family.substr(0, family.find(' '));
    for (const std::string& call : syscall_family(head)) {
      EXPECT_TRUE(std::binary_search(syscall_names().begin(), syscall_names().end(), call))
          << call << " in " << family;
    }
  }
}

TEST(SyscallNames, ErrnoNamesAreGlibcs) {
  EXPECT_EQ(errno_number("EIO"), 5);
  EXPECT_EQ(errno_number("EBADF"), 9);
  EXPECT_EQ(errno_number("EMFILE"), 24);
  EXPECT_FALSE(errno_number("EIOO"));
  const auto& names = errno_names();
  EXPECT_TRUE(std::binary_search(names.begin(), names.end(), "EAGAIN"));
}

}  // namespace
}  // namespace harness
