#include "child_environment.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstring>

namespace harness {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::Not;

TEST(ChildEnvironment, InheritsThisProcesssEnvironment) {
  ::setenv("CHILD_ENVIRONMENT_TEST", "inherited", 1);
  EXPECT_THAT(ChildEnvironment::inherited().entries(),
              Contains("CHILD_ENVIRONMENT_TEST=inherited"));
  ::unsetenv("CHILD_ENVIRONMENT_TEST");
}

TEST(ChildEnvironment, SetReplacesUnsetDropsAppendKeepsTheFirst) {
  ChildEnvironment env;
  env.append("A=1").append("B=2").append("AB=3");
  env.set("A", "one");
  EXPECT_THAT(env.entries(), ElementsAre("B=2", "AB=3", "A=one"));
  env.unset("B");  // by name: "AB" stays
  EXPECT_THAT(env.entries(), ElementsAre("AB=3", "A=one"));
  env.append("A=two");
  EXPECT_THAT(env.entries(), ElementsAre("AB=3", "A=one", "A=two"));
  EXPECT_THAT(env.entries(), Not(Contains("B=2")));
}

TEST(ChildEnvironment, EnvpIsTheEntriesThenNull) {
  ChildEnvironment env;
  env.append("X=1").set("Y", "");
  char* const* envp = env.envp();
  ASSERT_NE(envp[0], nullptr);
  EXPECT_STREQ(envp[0], "X=1");
  EXPECT_STREQ(envp[1], "Y=");
  EXPECT_EQ(envp[2], nullptr);
}

}  // namespace
}  // namespace harness
