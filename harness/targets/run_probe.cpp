// run-probe COMMAND...: runs COMMAND through run_scenario, echoing its lines, so a test can
// signal a harness in the middle of a run. Its first line is "probe <pid>", the pid as /proc
// numbers it (the host's, also when the probe runs in a run's PID namespace).
#include <unistd.h>

#include <chrono>
#include <cstdio>

#include "harness/run.h"

int main(int argc, char** argv) {
  char self[32] = {};
  if (::readlink("/proc/self", self, sizeof self - 1) <= 0) return 125;
  std::printf("probe %s\n", self);
  std::fflush(stdout);
  harness::Scenario scenario;
  scenario.superlink.command.assign(argv + 1, argv + argc);
  scenario.superlink.ready = harness::Readiness::None;
  scenario.timeout = std::chrono::seconds(60);
  harness::RunOptions options;
  options.on_line = [](const harness::LogLine& line) {
    std::printf("%s\n", line.text.c_str());
    std::fflush(stdout);
  };
  harness::run_scenario(scenario, options);
  return 0;
}
