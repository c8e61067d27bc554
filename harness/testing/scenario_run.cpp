#include "harness/testing/scenario_run.h"

#include <gtest/gtest.h>

#include "harness/scenario_loader.h"

namespace harness::test_support {

ScenarioRun RunScenarioFile(const std::filesystem::path& file, const RunOptions& options) {
  ScenarioRun run;
  run.scenario = load_scenario(file);
  run.result = run_scenario(run.scenario, options);
  run.verdict = judge(run.scenario, run.result);
  return run;
}

ScenarioRun ExpectScenarioPasses(const std::filesystem::path& file, const RunOptions& options) {
  ScenarioRun run;
  try {
    run = RunScenarioFile(file, options);
  } catch (const ScenarioError& error) {
    ADD_FAILURE() << error.what();
    return run;
  }
  if (run.verdict.passed) return run;
  std::string message = file.string() + ": " + run.verdict.ending + "\n";
  for (const Failure& failure : run.verdict.failures) {
    message += "  " + failure.text() + "\n";
    if (failure.nearest_line) {
      message += "    nearest: line " + std::to_string(*failure.nearest_line + 1) + " \"" +
                 failure.nearest_text + "\"\n";
    }
  }
  ADD_FAILURE() << message;
  return run;
}

}  // namespace harness::test_support
