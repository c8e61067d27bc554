// syscall_injection_cost: what a `syscall` event costs, run after run, through the harness
// library: from the moment the event starts (its anchor and delay reached) to the first call the
// injector tampered with (the journal's `outside.syscall` line), and from there to the target's
// exit. The span includes finding the thread (by OS name, or by what it does), starting strace,
// its attach, and the wait for the thread's next matching call.
//
//   syscall_injection_cost FILE [--runs 30] [--mock BIN] [--flower BIN --target-kind flower]
//
// Every run must pass: a failing run ends the program with its headline.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "harness/run.h"
#include "harness/scenario_loader.h"
#include "harness/verdict.h"

namespace {

double ms(std::int64_t ns) {
  return static_cast<double>(ns) / 1e6;
}

double percentile(std::vector<double> values, double p) {
  std::sort(values.begin(), values.end());
  const auto index = static_cast<std::size_t>(p * static_cast<double>(values.size() - 1) + 0.5);
  return values[index];
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"The cost of a syscall event: event start to the first injected call"};
  std::string file;
  int runs = 30;
  harness::RunOptions options;
  std::string kind = "mock";
  app.add_option("file", file, "a scenario whose first event is a syscall event")->required();
  app.add_option("--runs", runs, "how many runs")->check(CLI::PositiveNumber);
  app.add_option("--mock", options.mock_binary, "the mock-superlink binary");
  app.add_option("--flower", options.flower_binary, "a Flower-like flower-superlink");
  app.add_option("--target-kind", kind, "mock or flower")->check(CLI::IsMember({"mock", "flower"}));
  CLI11_PARSE(app, argc, argv);
  options.target_kind = kind == "flower" ? harness::TargetKind::Flower : harness::TargetKind::Mock;

  const harness::Scenario scenario = harness::load_scenario(file);
  std::vector<double> to_injection;
  std::vector<double> to_exit;
  for (int run = 0; run < runs; ++run) {
    const harness::RunResult result = harness::run_scenario(scenario, options);
    const harness::Verdict verdict = harness::judge(scenario, result);
    if (!verdict.passed) {
      std::fprintf(stderr, "run %d did not pass: %s\n", run + 1, verdict.headline().c_str());
      return 1;
    }
    const auto injected =
        std::find_if(result.journal.begin(), result.journal.end(),
                     [](const harness::JournalEntry& e) { return e.site == "outside.syscall"; });
    if (result.events.empty() || injected == result.journal.end()) {
      std::fprintf(stderr, "run %d: no syscall event, or nothing injected\n", run + 1);
      return 1;
    }
    const std::int64_t event_ns = result.spawn_mono_ns + result.events.front().at.count();
    to_injection.push_back(ms(injected->mono_ns - event_ns));
    if (result.exit_mono_ns > 0) to_exit.push_back(ms(result.exit_mono_ns - injected->mono_ns));
  }
  std::printf("%s, %d runs\n", file.c_str(), runs);
  std::printf("| span | median ms | p90 ms | max ms |\n| --- | ---: | ---: | ---: |\n");
  std::printf("| event start to first injected call | %.1f | %.1f | %.1f |\n",
              percentile(to_injection, 0.5), percentile(to_injection, 0.9),
              *std::max_element(to_injection.begin(), to_injection.end()));
  if (!to_exit.empty()) {
    std::printf("| first injected call to exit | %.1f | %.1f | %.1f |\n", percentile(to_exit, 0.5),
                percentile(to_exit, 0.9), *std::max_element(to_exit.begin(), to_exit.end()));
  }
  return 0;
}
