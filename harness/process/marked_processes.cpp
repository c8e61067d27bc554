#include "marked_processes.h"

#include <poll.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "process_table.h"
#include "unique_fd.h"

namespace harness {

namespace {

std::vector<ProcessEntry> live_marked(std::string_view entry) {
  std::vector<ProcessEntry> found;
  const pid_t self = ::getpid();
  for (ProcessEntry& process : process_table()) {
    if (process.pid == self || process.state == 'Z') continue;
    if (has_environment_entry(process.pid, entry)) found.push_back(std::move(process));
  }
  return found;
}

}  // namespace

std::vector<std::string> marked_survivors(std::string_view entry, std::chrono::milliseconds grace) {
  using Clock = std::chrono::steady_clock;
  const Clock::time_point deadline = Clock::now() + grace;
  for (;;) {
    const std::vector<ProcessEntry> alive = live_marked(entry);
    if (alive.empty()) return {};
    bool waited = false;
    for (const ProcessEntry& process : alive) {
      const UniqueFd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, process.pid, 0)));
      if (!pidfd) {
        waited = true;  // gone already
        continue;
      }
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      pollfd gone{pidfd.get(), POLLIN, 0};
      if (::poll(&gone, 1, static_cast<int>(std::max<long>(left.count(), 0))) == 1) waited = true;
    }
    if (!waited && Clock::now() >= deadline) {
      std::vector<std::string> names;
      for (const ProcessEntry& process : live_marked(entry)) names.push_back(describe(process));
      return names;
    }
  }
}

}  // namespace harness
