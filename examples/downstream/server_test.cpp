// The same scenario as scenarios/crash/tick_panic.toml, checked from C++ with superlink::testing:
// the run's ending and journal through the GoogleMock matchers.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/testing/matchers.h"
#include "harness/testing/scenario_run.h"

namespace {

using namespace harness::test_support;

TEST(DownstreamServer, WorkerPanicStopsTheServerWithExit70) {
  const ScenarioRun run = RunScenarioFile(SCENARIOS_DIR "/crash/tick_panic.toml");
  EXPECT_THAT(run.result, ExitsWith(70));
  EXPECT_THAT(run.result, FiredExactly({"worker.tick"}));
  EXPECT_THAT(run.result,
              StderrHasLinesInOrder({"worker running", "worker thread died: disk full"}));
}

}  // namespace
