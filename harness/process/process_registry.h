// The run inits (process_containment.h) that are alive, for the harness's SIGINT/SIGTERM
// cleanup: it stops each (SIGTERM: the run init kills its run and removes the run folder), waits
// for them, and ends the harness by the same signal. Every other death of the harness is
// handled by the run inits themselves (end of file on their control socket).
#pragma once

#include <sys/types.h>

#include <mutex>
#include <string>

namespace harness {

// Held while a run init is started and registered, so that the cleanup, once it has it, knows
// every run init there will ever be.
std::mutex& process_registry_mutex();

// With process_registry_mutex() held: `pid` (a run init, still unreaped) is live.
void register_run_init_locked(pid_t pid);
// Before the run init is reaped: the cleanup forgets it.
void unregister_run_init(pid_t pid);

// A run folder the harness created: the cleanup removes it, also when its run never got as far
// as starting a run init (queued behind the registry lock when the signal came).
void register_run_folder(const std::string& path);
void unregister_run_folder(const std::string& path);

// Makes SIGINT and SIGTERM to the harness stop every registered run init (each kills its run and
// removes its folder), remove the registered run folders, then end the harness by the same
// signal. Process-wide; calling it again does nothing. run_scenario calls it itself.
void install_cleanup_on_signal();

}  // namespace harness
