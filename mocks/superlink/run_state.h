// The SuperLink's state as far as the scheduler sees it: runs waiting for a ServerApp.
// In memory, shared between threads.
#pragma once

#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>

namespace superlink {

class RunState {
 public:
  // Adds `count` pending runs with fresh ids (1, 2, ...).
  void add_pending_runs(int count);
  // The oldest pending run, now marked as starting; nullopt when none is pending.
  std::optional<std::uint64_t> take_pending_run();

 private:
  std::mutex mutex_;
  std::deque<std::uint64_t> pending_;
  std::uint64_t next_id_ = 1;
};

}  // namespace superlink
