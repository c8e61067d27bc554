// What became of one scenario run, in the four words every report and the exit status use:
// PASS, FAIL, SKIP (not run: the reason is in the verdict), ERROR (the harness could not run it).
#pragma once

#include <cstddef>
#include <string_view>

#include "harness/run_result.h"
#include "harness/verdict.h"
#include "verdict/scenario_outcome.h"

namespace harness {

enum class OutcomeClass { Pass, Fail, Skip, Error };

// A harness error wins over the verdict: the run says nothing about the target then.
OutcomeClass classify(const RunResult& result, const Verdict& verdict);
inline OutcomeClass classify(const ScenarioOutcome& outcome) {
  return classify(outcome.result, outcome.verdict);
}

// "PASS", "FAIL", "SKIP", "ERROR".
std::string_view class_word(OutcomeClass outcome_class);

// How many runs fell in each class.
struct OutcomeCounts {
  std::size_t passed = 0, failed = 0, skipped = 0, errors = 0;
  void add(OutcomeClass outcome_class);
};

}  // namespace harness
