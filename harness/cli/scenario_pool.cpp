#include "scenario_pool.h"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>

namespace harness::cli {

std::ptrdiff_t startup_slot_count() {
  return std::max<std::ptrdiff_t>(1,
                                  static_cast<std::ptrdiff_t>(std::thread::hardware_concurrency()));
}

std::vector<ScenarioOutcome> run_pool(
    const std::vector<Scenario>& scenarios, int jobs,
    const std::function<ScenarioOutcome(const Scenario&)>& run_one,
    const std::function<std::string(const ScenarioOutcome&)>& describe, std::ostream& out) {
  std::vector<ScenarioOutcome> outcomes(scenarios.size());
  std::atomic<std::size_t> next{0};
  std::mutex out_mutex;
  auto worker = [&] {
    for (std::size_t i = next++; i < scenarios.size(); i = next++) {
      outcomes[i] = run_one(scenarios[i]);
      const std::string text = describe(outcomes[i]);
      const std::lock_guard lock(out_mutex);
      out << text << std::flush;
    }
  };
  const std::size_t threads =
      std::min<std::size_t>(static_cast<std::size_t>(std::max(jobs, 1)), scenarios.size());
  if (threads <= 1) {
    worker();
    return outcomes;
  }
  std::vector<std::jthread> pool;
  for (std::size_t t = 0; t < threads; ++t) pool.emplace_back(worker);
  pool.clear();  // joins
  return outcomes;
}

}  // namespace harness::cli
