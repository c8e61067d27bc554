// libFuzzer target for the scenario parser: arbitrary text goes to load_scenario_text. The only
// failure allowed is ScenarioError with a message; anything else (another exception, a crash, a
// sanitizer report) is a finding. Built with -DSUPERLINK_FUZZ=ON by clang (see
// docs/robustness.md).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string_view>

#include "harness/scenario_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  try {
    harness::load_scenario_text(input, "fuzz/input.toml");
  } catch (const harness::ScenarioError& e) {
    if (e.message().empty()) {
      std::fprintf(stderr, "ScenarioError with an empty message: %s\n", e.what());
      std::abort();
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "unexpected exception: %s\n", e.what());
    std::abort();
  }
  return 0;
}
