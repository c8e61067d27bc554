// `repro FILE`: one scenario with its output shown live, then the full report and the command
// that reruns the target by hand.
#include <mutex>

#include "cli/commands/catalogue.h"
#include "cli/commands/commands.h"
#include "cli/target_program/target_choice.h"
#include "report/report_text.h"

namespace harness::cli {

int repro_command(const Request& request, const Backend& backend, Streams streams) {
  if (backend.prepare) backend.prepare();
  auto scenarios = load_catalogue(request.paths, backend, streams.err);
  if (!scenarios) return kExitError;
  if (scenarios->size() != 1) {
    streams.err << "superlink-harness: repro: '" << request.paths.front() << "' holds "
                << scenarios->size() << " scenarios; give one file\n";
    return kExitError;
  }
  const Scenario& scenario = scenarios->front();

  std::mutex out_mutex;  // lines arrive from the engine's reader threads
  RunOptions options = target_run_options(request);
  options.on_line = [&](const LogLine& line) {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(line.at).count();
    const std::lock_guard lock(out_mutex);
    streams.out << "[" << (line.stream == Stream::Stderr ? "stderr" : "stdout") << " +" << ms
                << "ms] " << line.text << "\n"
                << std::flush;
  };
  const RunResult result = backend.run(scenario, options);
  const Verdict verdict = backend.judge(scenario, result);
  {
    const std::lock_guard lock(out_mutex);
    streams.out << "\n"
                << scenario_text(scenario, result, verdict,
                                 {.color = streams.color, .verbose = true});
  }
  if (result.harness_error) return kExitError;
  return verdict.passed ? kExitPass : kExitFail;
}

}  // namespace harness::cli
