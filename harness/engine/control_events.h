// Failpoint control events (arm, disarm, wait_paused, resume), done through the target's control
// endpoint (docs/mock-superlink.md, "Run-time control") with the events' own HTTP client.
#pragma once

#include <map>
#include <string>

#include "harness/run_result.h"
#include "harness/scenario.h"
#include "scenario/event_text.h"  // describe_control
#include "send_http.h"

namespace harness {

// The ready file's key for the endpoint's address (ready_file.cpp puts it there).
inline constexpr const char* kFailpointControlAddress = "failpoint_control";

enum class ControlResult {
  Done,      // outcome.did says what was done
  Refused,   // the endpoint answered no, or nothing paused in time: outcome.error; fails the run
  NoAnswer,  // no answer (outcome.error): the target may be going down
};

// Performs `control`; `bounds` hold the run's deadline and cancel fd, and bound wait_paused's
// own timeout too.
ControlResult perform_control(const FailpointControl& control,
                              const std::map<std::string, std::string>& addresses,
                              const HttpBounds& bounds, EventOutcome& outcome);

}  // namespace harness
