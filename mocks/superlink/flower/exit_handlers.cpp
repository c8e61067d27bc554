#include "superlink/flower/exit_handlers.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <thread>

#include "failpoint/failpoint.h"
#include "superlink/flower/version_profile.h"

namespace superlink {

void run_exit_handlers_then_exit(int status) {
  spdlog::default_logger()->flush();
  const auto timeout = active_profile().forced_exit_after;
  if (timeout.count() == 0) ::_exit(status);
  // The watchdog: a detached thread that ends the process whatever the handlers do. It must
  // sleep its full time (the real one does time.sleep), not wait on anything the handlers hold.
  std::thread([timeout, status] {
    std::this_thread::sleep_for(timeout);
    ::_exit(status);
  }).detach();
  try {
    FAILPOINT("exit.handler");
  } catch (...) {
    // Flower's trigger_exit_handlers ignores an exception in a handler.
  }
  ::_exit(status);
}

}  // namespace superlink
