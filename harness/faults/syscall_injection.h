// A `syscall` event at run time: finds the target's thread the fault is for, attaches the
// system-call injector (Debian's strace, `-e inject=...`) to it, and journals every call it
// tampers with as `outside.syscall`, from the injector's own evidence (`(INJECTED)`,
// `(DELAYED)`, the signal it delivered). The injector runs under `superlink-run-init
// --die-with-parent`, so it cannot outlive the harness, and detaches (the target goes on) when
// the run ends.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "harness/run_result.h"
#include "harness/scenario.h"
#include "unique_fd.h"

namespace harness {

struct SyscallContext {
  pid_t target = 0;                                  // the target's pid, as the harness sees it
  std::map<std::string, std::string> addresses;      // "fleet" -> "127.0.0.1:P"
  std::map<std::string, std::string> substitutions;  // `{database}`, ... for `path`
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
  int cancel_fd = -1;  // readable once the run ends
};

// One injected call, for the journal: task ("error", "retval", "delay", "signal"), what
// happened ("pread64 EIO"), the thread ("scheduler 4242") and when (CLOCK_MONOTONIC).
using SyscallJournal = std::function<void(std::string_view task, std::string_view arg,
                                          std::string_view thread, std::int64_t mono_ns)>;

// The injector: $SUPERLINK_STRACE, else `strace` on PATH; "" when there is none.
std::string syscall_injector();

// Why this machine lacks what the scenario `requires` of the harness itself (a system-call
// injector); nullopt when it has it. Failpoints are the target's, asked of the target.
std::optional<std::string> missing_capability(const Scenario& scenario);

// The strace arguments that inject `fault` into the traced threads (calls expanded to their
// families, `path` already substituted): -e trace=..., -e inject=...:when=..., -P PATH.
std::vector<std::string> injection_arguments(const SyscallFault& fault, const std::string& path);

class SyscallInjection {
 public:
  // Finds the thread, starts the injector and returns once it is attached to it. Done:
  // `outcome.did` says what is armed where. Not done: `outcome.error` says why, with
  // `outcome.unsent` set, and `outcome.unsupported` when the platform cannot inject at all.
  SyscallInjection(const SyscallFault& fault, SyscallContext context, SyscallJournal journal,
                   EventOutcome& outcome);
  ~SyscallInjection();  // detaches the injector
  SyscallInjection(const SyscallInjection&) = delete;
  SyscallInjection& operator=(const SyscallInjection&) = delete;

  // The run has ended: detaches the injector, and makes an event whose fault never came about
  // (the path untouched, the nth call never made) not done, saying how many calls it saw.
  void settle(EventOutcome& outcome);

 private:
  struct Placement;
  void find_threads(Placement& placement);
  void inject(const std::string& binary, const std::vector<std::string>& argv);
  void on_line(std::string_view line);

  SyscallFault fault_;
  SyscallContext context_;
  SyscallJournal journal_;
  std::string path_;
  std::string role_;  // how the journal names the thread: "scheduler", "rest", "any", the regex
  std::vector<pid_t> tids_;

  std::mutex mutex_;
  std::condition_variable changed_;
  std::thread thread_;  // spawns the injector (its parent-death signal follows this thread)
  UniqueFd stop_fd_;    // an eventfd: the thread detaches the injector and ends
  bool attached_ = false;
  bool ended_ = false;
  std::size_t attach_count_ = 0;
  std::string failure_;  // the injector's own error, or why it could not start
  std::uint64_t calls_seen_ = 0;
  std::uint64_t injected_ = 0;
  pid_t injector_ = 0;
  std::atomic<bool> settled_{false};
};

}  // namespace harness
