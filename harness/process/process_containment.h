// Starting a target so that nothing it starts can outlive the run, or the harness: each target
// is the child of a superlink-run-init of its own (harness/run_init), started in a PID namespace
// of its own where the kernel allows it (see docs/robustness.md, "Containment").
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "child_environment.h"
#include "unique_fd.h"

namespace harness {

enum class Containment {
  PidNamespace,      // CAP_SYS_ADMIN: a new PID namespace whose pid 1 is the run init
  UserPidNamespace,  // no CAP_SYS_ADMIN: a new user namespace (own uid mapped) + PID namespace
  Subreaper,         // neither allowed: the run init is a child subreaper
};

// "pid-namespace", "user+pid-namespace", "subreaper".
std::string_view containment_name(Containment containment);

// The harness's environment with `env` added or replacing, as "NAME=VALUE": what a target (and a
// `run` command) gets. An inherited FAILPOINTS is dropped unless `env` sets it.
ChildEnvironment child_environment(const std::map<std::string, std::string>& env);

// The target's raw wait status and the processes of the run that outlived it ("pid 123
// (sleep)", pids as the harness sees them), all killed by now.
struct TargetEnd {
  int status = 0;
  std::vector<std::string> leftovers;
};

struct ContainmentOptions {
  // Removed by the run init when the harness dies mid-run ("": nothing).
  std::string remove_on_abandon;
  // After the target ends, how long the rest of the run may take to end by itself before what
  // is still alive counts as a leftover and is killed. A child told to stop with its group, or
  // one that watches its parent (a 1.26 flower-superexec, every 200 ms), ends a moment after
  // the target: that is not left running. The run init waits on its children's ends, not a
  // clock, so a run with nothing left pays nothing.
  std::chrono::milliseconds settle{0};
};

class ContainedTarget {
 public:
  // argv[0] is searched in PATH. `env` is added to (or replaces in) the harness's environment;
  // an inherited FAILPOINTS is dropped unless `env` sets it, so a developer's shell cannot arm
  // the target by accident. The mode is the first of Containment's that the kernel allows, or
  // the one SUPERLINK_CONTAINMENT names. Throws std::runtime_error:
  // "cannot start 'nosuchbin': No such file or directory".
  ContainedTarget(const std::vector<std::string>& argv,
                  const std::map<std::string, std::string>& env, const ContainmentOptions& options);
  // Kills what is left of the run. Once wait_end() has returned nothing of the run is left and
  // the run init only has to exit: it is then reaped later (by the next ContainedTarget of the
  // process), so a run does not wait for the end of its PID namespace. Otherwise the destructor
  // waits until the run init has killed everything and exited.
  ~ContainedTarget();
  ContainedTarget(const ContainedTarget&) = delete;
  ContainedTarget& operator=(const ContainedTarget&) = delete;

  pid_t pid() const { return pid_; }          // the target's pid, as the harness sees it
  int pidfd() const { return pidfd_.get(); }  // the target's pidfd, readable once it has exited
  Containment containment() const { return containment_; }
  // The read ends of the target's stdout and stderr; the caller owns them.
  int take_stdout();
  int take_stderr();

  // Signal `sig` to the target's process group (to the target alone if it left its group);
  // nothing once the target has ended.
  void signal_group(int sig);

  // Once the pidfd is readable: blocks until the run init has killed what outlived the target.
  // Throws std::runtime_error when the run init is gone.
  TargetEnd wait_end();

 private:
  pid_t pid_ = 0;
  // Closed by the destructor in its own order, not in the reverse of this one.
  UniqueFd pidfd_;
  UniqueFd stdout_fd_;
  UniqueFd stderr_fd_;
  pid_t init_pid_ = 0;
  UniqueFd init_pidfd_;
  UniqueFd control_;
  Containment containment_ = Containment::Subreaper;
  bool end_reported_ = false;  // wait_end() returned: nothing of the run is alive
};

// The run init to start: $SUPERLINK_RUN_INIT, else superlink-run-init next to the running
// executable, else the first one on PATH.
std::string run_init_binary();

// Starts a run init now for the next ContainedTarget of this process (unless one waits
// already), so that its start-up overlaps what the caller does meanwhile: a run init is a
// process of its own, and its exec was a large part of what a run cost beyond its target. It waits
// for its run (superlink-run-init --standby) and ends with this process. Never throws: the run that
// needs one starts its own if this one could not be started.
void prestart_run_init();

}  // namespace harness
