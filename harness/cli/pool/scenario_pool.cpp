#include "scenario_pool.h"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>

#include "cli/pool/run_order.h"

namespace harness::cli {

std::ptrdiff_t startup_slot_count() {
  return std::max<std::ptrdiff_t>(1,
                                  static_cast<std::ptrdiff_t>(std::thread::hardware_concurrency()));
}

std::vector<ScenarioOutcome> run_pool(
    const std::vector<Scenario>& scenarios, int jobs,
    const std::function<ScenarioOutcome(const Scenario&)>& run_one,
    const std::function<std::string(const ScenarioOutcome&)>& describe, std::ostream& out,
    Progress progress) {
  if (progress.total == 0) progress.total = scenarios.size();
  std::vector<ScenarioOutcome> outcomes(scenarios.size());
  const std::size_t threads =
      std::min<std::size_t>(static_cast<std::size_t>(std::max(jobs, 1)), scenarios.size());
  // One at a time, the order cannot shorten anything: keep the catalogue's (printed) order.
  std::vector<std::size_t> order = longest_first(scenarios);
  if (threads <= 1) std::sort(order.begin(), order.end());
  std::atomic<std::size_t> next{0};
  std::mutex out_mutex;
  auto worker = [&] {
    for (std::size_t n = next++; n < order.size(); n = next++) {
      const std::size_t i = order[n];
      outcomes[i] = run_one(scenarios[i]);
      const std::string text = describe(outcomes[i]);
      const std::lock_guard lock(out_mutex);
      out << '[' << ++progress.done_before << '/' << progress.total << "] " << text << std::flush;
    }
  };
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
