#include "superlink/runtime/scheduler.h"

#include <spdlog/spdlog.h>
#include <sys/wait.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "failpoint/failpoint.h"
#include "superlink/runtime/serverapp_launcher.h"

namespace superlink {

void Scheduler::run(const std::function<void()>& on_running) {
  if (FAILPOINT("scheduler.start")) return;
  state_ = states_.state();
  state_->add_pending_runs(config_.pending_runs);
  on_running();
  boost::asio::io_context io;
  boost::asio::steady_timer timer(io);
  std::function<void()> arm = [&] {
    timer.expires_after(config_.interval);
    timer.async_wait([&](const boost::system::error_code& error) {
      if (error) return;
      if (tick()) arm();
    });
  };
  arm();
  io.run();  // an exception thrown by a tick leaves run() and ends the thread with its cause
}

bool Scheduler::tick() {
  if (FAILPOINT("scheduler.tick")) return false;
  reap_finished();
  for (const std::uint64_t run_id : state_->pending_runs()) {
    if (!launched_.insert(run_id).second) continue;
    if (FAILPOINT("scheduler.launch")) return false;
    try {
      const pid_t pid = spawn_serverapp(config_.serverapp_executable, config_.serverappio_address);
      children_.push_back(pid);
      spdlog::info("Launched ServerApp for run {} (pid {})", run_id, pid);
    } catch (const std::system_error& e) {
      spdlog::error("Failed to launch ServerApp for run {}: {}", run_id, e.what());
    }
  }
  return true;
}

void Scheduler::reap_finished() {
  std::erase_if(children_, [](pid_t pid) {
    int status = 0;
    const pid_t reaped = ::waitpid(pid, &status, WNOHANG);
    if (reaped == 0) return false;  // still running
    if (reaped == pid) spdlog::debug("ServerApp (pid {}) finished with status {}", pid, status);
    return true;  // finished, or reaped by someone else
  });
}

}  // namespace superlink
