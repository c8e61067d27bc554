// scenario_timeline: where one scenario's time goes, run after run, through the harness library
// itself (load_scenario, run_scenario, judge: what `superlink-harness run` does per scenario).
//
//   scenario_timeline FILE --mock build/bin/mock-superlink [--runs 200]
//
// Milestones, from the call to run_scenario (t = 0): spawn; first output line read; ready file
// seen; first failpoint firing (journal mono_ns); the crash line and the exit block's first line
// read (when the target prints them); exit seen (pidfd); run_scenario returned; judge returned.
// The table gives, per step, the median and p99 of the time from the previous milestone and of
// the time from t = 0. Every run must pass: a failing run ends the program with its headline.
#include <time.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "harness/run.h"
#include "harness/run_result.h"
#include "harness/scenario_loader.h"
#include "harness/verdict.h"

namespace {

using Clock = std::chrono::steady_clock;

[[noreturn]] void die(const std::string& message) {
  std::fprintf(stderr, "scenario_timeline: %s\n", message.c_str());
  std::exit(2);
}

double ms(harness::Nanos span) {
  return std::chrono::duration<double, std::milli>(span).count();
}

std::int64_t mono_ns() {
  timespec now{};
  ::clock_gettime(CLOCK_MONOTONIC, &now);
  return static_cast<std::int64_t>(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
}

// The first captured stderr line containing `text`: when the harness read it, since spawn.
std::optional<double> line_read_at(const harness::CapturedLog& log, const std::string& text) {
  for (const auto* lines : {&log.head, &log.tail}) {
    for (const harness::LogLine& line : *lines) {
      if (line.stream == harness::Stream::Stderr && line.text.find(text) != std::string::npos)
        return ms(line.at);
    }
  }
  return std::nullopt;
}

std::optional<double> first_line_at(const harness::CapturedLog& log) {
  if (log.head.empty()) return std::nullopt;
  return ms(log.head.front().at);
}

// Milestones of one run, in ms since run_scenario was called; empty when it did not happen.
struct Milestones {
  std::vector<std::optional<double>> at;
};

const std::vector<std::string> kSteps = {
    "spawned (posix_spawn called)",
    "first output line read",
    "ready file seen",
    "failpoint fired (journal)",
    "crash line read ('Critical background thread')",
    "exit block read ('Exit Code:')",
    "exit seen (pidfd)",
    "run_scenario returned",
    "verdict computed (judge)",
};

Milestones one_run(const harness::Scenario& scenario, const harness::RunOptions& options) {
  const std::int64_t start_mono = mono_ns();
  const Clock::time_point start = Clock::now();
  const harness::RunResult result = harness::run_scenario(scenario, options);
  const double returned = ms(Clock::now() - start);
  const harness::Verdict verdict = harness::judge(scenario, result);
  const double judged = ms(Clock::now() - start);
  if (!verdict.passed) die(scenario.name + ": " + verdict.headline());

  const double spawn = static_cast<double>(result.spawn_mono_ns - start_mono) / 1e6;
  const auto after_spawn = [&](std::optional<double> t) -> std::optional<double> {
    if (!t) return std::nullopt;
    return spawn + *t;
  };
  std::optional<double> fired;
  if (!result.journal.empty())
    fired = static_cast<double>(result.journal.front().mono_ns - start_mono) / 1e6;
  std::optional<double> ready;
  if (result.ready_at) ready = after_spawn(ms(*result.ready_at));
  std::optional<double> exited;
  if (result.exit_at) exited = after_spawn(ms(*result.exit_at));
  return {{spawn, after_spawn(first_line_at(result.log)), ready, fired,
           after_spawn(line_read_at(result.log, "Critical background thread")),
           after_spawn(line_read_at(result.log, "Exit Code:")), exited, returned, judged}};
}

double percentile(std::vector<double> values, double fraction) {
  std::sort(values.begin(), values.end());
  const auto rank =
      static_cast<std::size_t>(fraction * static_cast<double>(values.size()) + 0.999999);
  return values[std::clamp<std::size_t>(rank, 1, values.size()) - 1];
}

}  // namespace

int main(int argc, char** argv) {
  std::string file;
  harness::RunOptions options;
  int runs = 200;
  CLI::App app{"One scenario run N times through the harness library, with each milestone's time"};
  app.add_option("FILE", file, "the scenario")->required()->check(CLI::ExistingFile);
  app.add_option("--mock", options.mock_binary, "the mock-superlink binary")
      ->required()
      ->check(CLI::ExistingFile);
  app.add_option("--runs", runs, "how many runs (after one warm-up)")
      ->check(CLI::Range(1, std::numeric_limits<int>::max()))
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  harness::Scenario scenario;
  try {
    scenario = harness::load_scenario(file);
  } catch (const harness::ScenarioError& error) {
    die(error.what());
  }

  std::vector<Milestones> all;
  one_run(scenario, options);  // warm-up, not counted
  for (int i = 0; i < runs; ++i) all.push_back(one_run(scenario, options));

  std::printf("%s/%s, %d runs (ms; 'step' is the time since the previous milestone reached)\n\n",
              scenario.group.c_str(), scenario.name.c_str(), runs);
  std::printf("| milestone | runs | step median | step p99 | at median | at p99 |\n");
  std::printf("| --- | ---: | ---: | ---: | ---: | ---: |\n");
  for (std::size_t m = 0; m < kSteps.size(); ++m) {
    std::vector<double> at;
    std::vector<double> step;
    for (const Milestones& run : all) {
      if (!run.at[m]) continue;
      at.push_back(*run.at[m]);
      double previous = 0;
      for (std::size_t p = m; p-- > 0;) {
        if (run.at[p]) {
          previous = *run.at[p];
          break;
        }
      }
      step.push_back(*run.at[m] - previous);
    }
    if (at.empty()) continue;
    std::printf("| %s | %zu | %.3f | %.3f | %.3f | %.3f |\n", kSteps[m].c_str(), at.size(),
                percentile(step, 0.5), percentile(step, 0.99), percentile(at, 0.5),
                percentile(at, 0.99));
  }
  return 0;
}
