#include "superlink/run_state.h"

namespace superlink {

void RunState::add_pending_runs(int count) {
  std::lock_guard lock(mutex_);
  for (int i = 0; i < count; ++i) pending_.push_back(next_id_++);
}

std::optional<std::uint64_t> RunState::take_pending_run() {
  std::lock_guard lock(mutex_);
  if (pending_.empty()) return std::nullopt;
  const std::uint64_t id = pending_.front();
  pending_.pop_front();
  return id;
}

}  // namespace superlink
