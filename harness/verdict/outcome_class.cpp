#include "verdict/outcome_class.h"

namespace harness {

OutcomeClass classify(const RunResult& result, const Verdict& verdict) {
  if (result.harness_error) return OutcomeClass::Error;
  if (verdict.skipped) return OutcomeClass::Skip;
  return verdict.passed ? OutcomeClass::Pass : OutcomeClass::Fail;
}

std::string_view class_word(OutcomeClass outcome_class) {
  switch (outcome_class) {
    case OutcomeClass::Pass:
      return "PASS";
    case OutcomeClass::Fail:
      return "FAIL";
    case OutcomeClass::Skip:
      return "SKIP";
    case OutcomeClass::Error:
      return "ERROR";
  }
  return "ERROR";
}

void OutcomeCounts::add(OutcomeClass outcome_class) {
  switch (outcome_class) {
    case OutcomeClass::Pass:
      ++passed;
      break;
    case OutcomeClass::Fail:
      ++failed;
      break;
    case OutcomeClass::Skip:
      ++skipped;
      break;
    case OutcomeClass::Error:
      ++errors;
      break;
  }
}

}  // namespace harness
