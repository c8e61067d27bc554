// Running a scenario file from inside a TEST, with the same loader, engine and verdict the
// superlink-harness CLI uses.
#pragma once

#include <filesystem>

#include "harness/run.h"
#include "harness/run_result.h"
#include "harness/scenario.h"
#include "harness/verdict.h"

namespace harness::test_support {

struct ScenarioRun {
  Scenario scenario;
  RunResult result;
  Verdict verdict;
};

// Loads and runs `file` and judges the run. Throws harness::ScenarioError for a bad file.
ScenarioRun RunScenarioFile(const std::filesystem::path& file, const RunOptions& options = {});

// Runs `file` and adds a non-fatal GoogleTest failure naming every unmet expectation when its
// verdict fails (or when the file cannot be loaded). Returns the run for further checks.
ScenarioRun ExpectScenarioPasses(const std::filesystem::path& file, const RunOptions& options = {});

}  // namespace harness::test_support
