#include "run_order.h"

#include <algorithm>
#include <charconv>
#include <numeric>
#include <string_view>

namespace harness::cli {
namespace {

constexpr Millis kSchedulerTick{100};  // the mock's scheduler, like Flower's, ticks every 100 ms
// A locked database holds the target's next write for SQLite's busy timeout (Python's sqlite3
// and the mock: 5 s) before it fails.
constexpr Millis kBusyTimeout{5000};

// The number at the start of `text` (0 when there is none).
long leading_number(std::string_view text) {
  long value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

struct ActionsWait {
  Millis waited{0};  // sleeps and delays the actions take
  long hits = 0;     // evaluations of the site before and including the last action
  bool pauses = false;
};

// "5*yield->2*sleep(200)->panic(x)": counts, tasks and arguments read loosely; the loader has
// already refused anything malformed.
ActionsWait actions_wait(std::string_view actions) {
  ActionsWait out;
  while (!actions.empty()) {
    const auto arrow = actions.find("->");
    std::string_view action = actions.substr(0, arrow);
    actions = arrow == std::string_view::npos ? std::string_view{} : actions.substr(arrow + 2);
    if (const auto percent = action.find('%'); percent != std::string_view::npos) {
      action.remove_prefix(percent + 1);
    }
    long count = 1;
    if (const auto star = action.find('*'); star != std::string_view::npos) {
      count = std::max(1L, leading_number(action));
      action.remove_prefix(star + 1);
    }
    out.hits += count;
    if (action.starts_with("pause")) out.pauses = true;
    for (std::string_view task : {"sleep(", "delay("}) {
      if (action.starts_with(task))
        out.waited += Millis(count * leading_number(action.substr(task.size())));
    }
  }
  return out;
}

}  // namespace

Millis expected_wait(const Scenario& scenario) {
  Millis events{0};
  for (const Event& event : scenario.events) {
    const auto* database = event.as<DatabaseEvent>();
    const Millis after = database && database->fault == "lock" ? kBusyTimeout : Millis(0);
    events = std::max(events, event.delay + after);
  }
  Millis faults{0};
  bool pauses = false;
  for (const auto& [site, actions] : scenario.failpoints) {
    const ActionsWait wait = actions_wait(actions);
    pauses = pauses || wait.pauses;
    Millis site_wait = wait.waited;
    if (site == "scheduler.tick") site_wait += kSchedulerTick * wait.hits;
    faults = std::max(faults, site_wait);
  }
  Millis total = std::max(events, faults);
  if (scenario.expect.still_running) return total + scenario.expect.hold;
  if (pauses) return std::max(total, scenario.timeout);
  return total;
}

std::vector<std::size_t> longest_first(const std::vector<Scenario>& scenarios) {
  std::vector<Millis> wait;
  wait.reserve(scenarios.size());
  for (const Scenario& s : scenarios) wait.push_back(expected_wait(s));
  std::vector<std::size_t> order(scenarios.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return wait[a] > wait[b]; });
  return order;
}

}  // namespace harness::cli
