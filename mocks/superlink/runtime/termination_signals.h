// SIGINT, SIGQUIT and SIGTERM: blocked in every thread and taken by one sigwait thread, which
// hands them to the supervisor. Call block_termination_signals() before any thread starts, so
// every thread inherits the mask.
#pragma once

#include <csignal>

#include "superlink/runtime/supervisor.h"

namespace superlink {

// What the signal thread does with a signal before enable_graceful_exit().
enum class SignalsUntilHandled {
  kGraceful,       // hand it to the supervisor at once (documented mode starts the thread late)
  kDefaultAction,  // as Python before its handlers exist: SIGINT prints a KeyboardInterrupt
                   // traceback, then each signal kills the process by its default action
};

void block_termination_signals();
// Starts the detached thread `signals` that forwards each termination signal to `supervisor`.
void start_signal_thread(Supervisor& supervisor, SignalsUntilHandled until_handled);
// From now on every signal goes to the supervisor (the real SuperLink's handlers are in).
void enable_graceful_exit();
// The graceful exit code for a termination signal (1, 2, 3).
int graceful_exit_code(int signo);

}  // namespace superlink
