// The run inits (process_containment.h) that are alive, for the harness's SIGINT/SIGTERM
// cleanup: it stops each (SIGTERM: the run init kills its run and removes the run folder), waits
// for them, and ends the harness by the same signal. Every other death of the harness is
// handled by the run inits themselves (end of file on their control socket).
#pragma once

#include <sys/types.h>

#include <mutex>

namespace harness {

// Held while a run init is started and registered, so that the cleanup, once it has it, knows
// every run init there will ever be.
std::mutex& process_registry_mutex();

// With process_registry_mutex() held: `pid` (a run init, still unreaped) is live.
void register_run_init_locked(pid_t pid);
// Before the run init is reaped: the cleanup forgets it.
void unregister_run_init(pid_t pid);

}  // namespace harness
