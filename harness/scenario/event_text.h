// Scenarios and events in the words the reports share: a scenario's qualified name, and what each
// [[events]] entry did: which event, from which anchor, and what came of it (done when and
// answered what, or never done and why).
#pragma once

#include <cstddef>
#include <string>

#include "harness/run_result.h"
#include "harness/scenario.h"

namespace harness {

// "group/name", or just "name" for a scenario outside any group.
std::string qualified_name(const Scenario& scenario);

// "request create-node", "GET request /health", "signal SIGTERM",
// "syscall pread64 EIO in scheduler on {database}, call 2".
std::string describe_event(const Event& event);

// "arm scheduler.tick=pause", "wait_paused scheduler.tick", ...: a control event as reports
// name it; the `control` part of describe_event.
std::string describe_control(const FailpointControl& control);

// "12 ms", "0.4 ms", "2.5 s": durations as reports show them.
std::string format_duration(Nanos duration);

// The `syscall` part of describe_event.
std::string describe_syscall(const SyscallFault& fault);

// The anchor as a scenario writes it: "ready", "start+100ms", "fired:rest.request+50ms".
std::string describe_anchor(const Event& event);

// The first `limit` bytes of an answer's body, control bytes as \xNN, "…" when there was more.
std::string body_excerpt(const EventOutcome& outcome, std::size_t limit = 120);

// Done: the signal went or an answer came (possibly with an error after it, e.g. cut short).
bool event_done(const EventOutcome& outcome);

// "done at +35 ms: HTTP 200 \"...\"", "done at +12 ms", "sent at +40 ms, no answer: timed out
// waiting for the response", "not done: target had exited", "not done: Connection refused
// (fails the run)".
std::string describe_outcome(const EventOutcome& outcome);

}  // namespace harness
