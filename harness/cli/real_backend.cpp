#include "real_backend.h"

#include <unistd.h>

#include <cstdlib>
#include <string>
#include <string_view>

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
  backend.prepare = [] { prepare_runs(); };
  backend.runnable = [](const std::string& program) {
    if (program.find('/') != std::string::npos) return ::access(program.c_str(), X_OK) == 0;
    const char* path = std::getenv("PATH");
    std::string_view rest = path != nullptr ? path : "/usr/bin:/bin";
    while (true) {
      const auto colon = rest.find(':');
      const std::string folder(rest.substr(0, colon));
      if (::access(((folder.empty() ? "." : folder) + "/" + program).c_str(), X_OK) == 0) {
        return true;
      }
      if (colon == std::string_view::npos) return false;
      rest.remove_prefix(colon + 1);
    }
  };
  return backend;
}

Environment process_environment() {
  return {[](const char* name) -> const char* { return std::getenv(name); },
          isatty(STDOUT_FILENO) == 1};
}

}  // namespace harness::cli
