// The run-time control endpoint of the mock's failpoints (`--failpoint-control ADDR`, or
// SUPERLINK_FAILPOINT_CONTROL): HTTP/1.1 with JSON answers on a loopback address, served by a
// thread of its own that is not a critical thread, so its end is never a SuperLink crash.
//
//   GET    /failpoints                            every site: actions (or null), hits, paused
//   PUT    /failpoints/SITE          body=ACTIONS  arm or re-arm (400 bad actions, 404 unknown)
//   DELETE /failpoints/SITE                       disarm; threads paused there go on
//   GET    /failpoints/SITE/paused?timeout_ms=N   200 once a thread is paused there, 408 after N
//   POST   /failpoints/SITE/resume                release the threads paused there
#pragma once

#include <stdexcept>
#include <string>

#include "superlink/fleet/address.h"
#include "superlink/flower/exit_codes.h"

namespace superlink {

// A control address that cannot be used; what() names it and says why.
class ControlAddressError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The longest wait /paused accepts, so a request cannot hold a server thread for good.
inline constexpr int kMaxPausedTimeoutMs = 600'000;

// `text` as HOST:PORT with HOST in 127.0.0.0/8, ::1 or localhost (bound as 127.0.0.1); port 0
// is any free port. `source` names where the text came from, for the message. Throws
// ControlAddressError.
Address parse_control_address(const std::string& text, const std::string& source);

// Starts the endpoint when `flag` (--failpoint-control) or else SUPERLINK_FAILPOINT_CONTROL
// asks for one: binds at once, then serves on the thread `fp-control`, which lives until _exit
// and which nothing waits for. A bad or non-loopback address, or a failed bind, exits 104
// (the persona and flower mode: 1) naming it. Call with the termination signals blocked, so the
// endpoint's threads never take them.
void start_failpoint_control_or_exit(const std::string& flag, ExitStatusMode mode);

// The bound address (`127.0.0.1:40123`) for the ready file; empty when no endpoint runs.
std::string failpoint_control_address();

}  // namespace superlink
