// The scheduler thread (isolation subprocess): every 100 ms it looks for a pending run, starts a
// ServerApp process for it and reaps the ServerApps that finished. A ServerApp's failure does
// not affect the SuperLink.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "superlink/run_state.h"

namespace superlink {

struct SchedulerConfig {
  std::string serverapp_executable;
  std::string serverappio_address;  // what the ServerApp connects to
  std::chrono::milliseconds interval{100};
};

class Scheduler {
 public:
  Scheduler(RunState& state, SchedulerConfig config) : state_(state), config_(std::move(config)) {}

  // The thread's body. Site scheduler.start, then `on_running`, then a tick every interval
  // (sites scheduler.tick and, per run, scheduler.launch). A `return` task ends it quietly; a
  // panic propagates.
  void run(const std::function<void()>& on_running);

 private:
  // False when the scheduler must end.
  bool tick();
  void reap_finished();

  RunState& state_;
  SchedulerConfig config_;
  std::vector<pid_t> children_;
};

}  // namespace superlink
