// The scheduler thread (isolation subprocess): it opens the state, then every 100 ms queries it
// for a pending run, starts a ServerApp process for it and reaps the ServerApps that finished. A
// ServerApp's failure does not affect the SuperLink; a state that fails (a damaged or locked
// database) ends the thread with SQLite's error, as in the real one.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "superlink/state/link_state.h"

namespace superlink {

struct SchedulerConfig {
  std::string serverapp_executable;
  std::string serverappio_address;  // what the ServerApp connects to
  std::chrono::milliseconds interval{100};
  int pending_runs = 0;  // added to the state once it is open (--pending-runs)
};

class Scheduler {
 public:
  Scheduler(StateFactory& states, SchedulerConfig config)
      : states_(states), config_(std::move(config)) {}

  // The thread's body. Site scheduler.start, the state opened (a bad database throws here, as
  // Flower's state_factory.state() does in its thread), then `on_running`, then a tick every
  // interval (sites scheduler.tick and, per run, scheduler.launch). A `return` task ends it
  // quietly; a panic propagates.
  void run(const std::function<void()>& on_running);

 private:
  // False when the scheduler must end.
  bool tick();
  void reap_finished();

  StateFactory& states_;
  std::shared_ptr<LinkState> state_;
  SchedulerConfig config_;
  std::vector<pid_t> children_;
  // Runs a ServerApp was started for. The mock's ServerApp never reports back to mark its run as
  // starting, so the scheduler remembers them itself instead of writing to the state.
  std::set<std::uint64_t> launched_;
};

}  // namespace superlink
