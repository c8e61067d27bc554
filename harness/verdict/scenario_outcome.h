// One scenario run as the reports see it: what was asked, what happened, what was judged.
#pragma once

#include "harness/run_result.h"
#include "harness/scenario.h"
#include "harness/verdict.h"

namespace harness {

struct ScenarioOutcome {
  Scenario scenario;
  RunResult result;
  Verdict verdict;
  int repetition = 0;  // 0-based, with --repeat
};

}  // namespace harness
