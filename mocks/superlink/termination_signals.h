// SIGINT, SIGQUIT and SIGTERM: blocked in every thread and taken by one sigwait thread, which
// hands them to the supervisor. Call block_termination_signals() before any thread starts, so
// every thread inherits the mask.
#pragma once

#include <csignal>

#include "superlink/supervisor.h"

namespace superlink {

void block_termination_signals();
// Starts the detached thread `signals` that forwards each termination signal to `supervisor`.
void start_signal_thread(Supervisor& supervisor);
// The graceful exit code for a termination signal (1, 2, 3).
int graceful_exit_code(int signo);

}  // namespace superlink
