#include "real_backend.h"

#include <unistd.h>

#include <cstdlib>

#include "harness/scenario_loader.h"

namespace harness::cli {

Backend real_backend() {
  Backend backend;
  backend.find = [](const std::vector<std::filesystem::path>& paths) {
    return find_scenarios(paths);
  };
  backend.load = [](const std::filesystem::path& file) { return load_scenario(file); };
  backend.run = [](const Scenario& scenario, const RunOptions& options) {
    return run_scenario(scenario, options);
  };
  backend.judge = [](const Scenario& scenario, const RunResult& result) {
    return judge(scenario, result);
  };
  return backend;
}

Environment process_environment() {
  return {[](const char* name) -> const char* { return std::getenv(name); },
          isatty(STDOUT_FILENO) == 1};
}

}  // namespace harness::cli
