// The process groups run_scenario has started, and how to make sure nothing of them survives.
//
// Every target runs in a process group of its own (pgid = its pid). The harness is made a child
// subreaper, so a grandchild that leaves the group (setsid) and is orphaned becomes the
// harness's child instead of init's, and can still be found and killed.
#pragma once

#include <sys/types.h>

#include <mutex>
#include <string>
#include <vector>

namespace harness {

// Held while a target is spawned and registered, and while orphans are collected, so that a
// freshly spawned target of a concurrent run is never taken for an orphan.
std::mutex& process_registry_mutex();

// With process_registry_mutex() held: `pgid` is live (the signal cleanup kills it).
void register_group_locked(pid_t pgid);
// The group is gone; the signal cleanup forgets it.
void unregister_group(pid_t pgid);

// Makes this process a child subreaper (idempotent).
void become_subreaper();

// Kills (SIGKILL) what is left of group `pgid` other than its leader, and every orphan the
// harness inherited that is not a registered target, until none remains; reaps those that are
// the harness's children. Returns the processes that were alive, as "pid 123 (sleep)". Call it
// while the leader is still unreaped, so that `pgid` cannot have been reused.
std::vector<std::string> kill_leftovers(pid_t pgid);

}  // namespace harness
