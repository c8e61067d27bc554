#include "verdict/outcome_class.h"

#include <gtest/gtest.h>

namespace harness {
namespace {

TEST(OutcomeClass, AHarnessErrorWinsThenASkipThenTheVerdict) {
  RunResult ran;
  Verdict passed;
  passed.passed = true;
  Verdict failed;
  EXPECT_EQ(classify(ran, passed), OutcomeClass::Pass);
  EXPECT_EQ(classify(ran, failed), OutcomeClass::Fail);
  EXPECT_EQ(classify(ran, skipped_verdict("no failpoints")), OutcomeClass::Skip);
  RunResult broken;
  broken.harness_error = "cannot start";
  EXPECT_EQ(classify(broken, passed), OutcomeClass::Error);
  EXPECT_EQ(classify(broken, failed), OutcomeClass::Error);
}

TEST(OutcomeClass, WordsAreTheReportsOnes) {
  EXPECT_EQ(class_word(OutcomeClass::Pass), "PASS");
  EXPECT_EQ(class_word(OutcomeClass::Fail), "FAIL");
  EXPECT_EQ(class_word(OutcomeClass::Skip), "SKIP");
  EXPECT_EQ(class_word(OutcomeClass::Error), "ERROR");
}

TEST(OutcomeClass, CountsAddUpByClass) {
  OutcomeCounts counts;
  for (OutcomeClass c : {OutcomeClass::Pass, OutcomeClass::Pass, OutcomeClass::Fail,
                         OutcomeClass::Skip, OutcomeClass::Error}) {
    counts.add(c);
  }
  EXPECT_EQ(counts.passed, 2u);
  EXPECT_EQ(counts.failed, 1u);
  EXPECT_EQ(counts.skipped, 1u);
  EXPECT_EQ(counts.errors, 1u);
}

}  // namespace
}  // namespace harness
