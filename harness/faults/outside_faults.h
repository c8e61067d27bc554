// Outside faults: what the harness does to a run from outside its target (damage or lock the
// database file, take one of its ports, run a command of the user's), each journalled once
// done in the run's fault journal like a failpoint firing (site `outside.*`, thread "harness",
// the harness's pid), so that `fired`, `within_ms` and `fired:SITE` anchors treat it alike.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "harness/run_result.h"
#include "harness/scenario.h"
#include "unique_fd.h"

namespace harness {

class DatabaseLock;
class SyscallInjection;

struct OutsideFaultContext {
  std::string work_dir;                    // a `run` command's working directory
  std::string journal;                     // the run's fault journal ("": none)
  std::string database;                    // the run's database file ("": none)
  std::map<std::string, std::string> env;  // the run's environment, added to the harness's
  pid_t target = 0;                        // the target's pid: where system-call faults go
  std::map<std::string, std::string> substitutions;  // `{name}` values, for a syscall's path
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
  int cancel_fd = -1;  // readable once the run ends: a `run` command is killed
};

// A `run` command's output kept in the outcome's body.
inline constexpr std::size_t kCommandOutputLimit = 64 * 1024;

// One journal line in the failpoint runtime's format (harness/failpoint/journal.cpp), newline
// included; `thread` is "harness" for what the harness does itself, the target's thread for a
// system call ("scheduler 4242"). Exposed for tests.
std::string outside_journal_line(std::uint64_t hit, std::string_view site, std::string_view task,
                                 std::string_view arg, std::int64_t mono_ns,
                                 std::string_view thread = "harness");

class OutsideFaults {
 public:
  explicit OutsideFaults(OutsideFaultContext context);
  ~OutsideFaults();  // gives up a lock still held and closes occupied ports: the run has ended
  OutsideFaults(const OutsideFaults&) = delete;
  OutsideFaults& operator=(const OutsideFaults&) = delete;

  // Does the outside fault of `event` (database, occupy, release or run); `addresses` are the
  // target's ("fleet" -> "127.0.0.1:P"). Done: journalled, with `outcome.did` saying what was
  // done (and a command's output in `outcome.body`). Not done: `outcome.error` says why and
  // `outcome.unsent` is set (it fails the run); a command that does not exit 0 is not done.
  void perform(const Event& event, const std::map<std::string, std::string>& addresses,
               EventOutcome& outcome);

  // The run has ended: every system-call injector detaches, and each `syscall` event's outcome
  // (found by its event index) gets the last word: a fault that never came about is not done.
  void settle(std::vector<EventOutcome>& outcomes);

 private:
  void database_fault(const std::string& fault, EventOutcome& outcome);
  std::chrono::milliseconds patience() const;  // for the database faults: at most 5 s
  void occupy(const std::string& name, const std::map<std::string, std::string>& addresses,
              EventOutcome& outcome);
  void release(const std::string& name, EventOutcome& outcome);
  void run(const std::vector<std::string>& argv, EventOutcome& outcome);
  void syscall(const SyscallFault& fault, const std::map<std::string, std::string>& addresses,
               EventOutcome& outcome);
  // One line with one write(2), O_APPEND: lines of the target and the harness never tear.
  void journal(const std::string& site, std::string_view task, std::string_view arg,
               std::int64_t mono_ns, std::string_view thread = "harness");

  OutsideFaultContext context_;
  std::unique_ptr<DatabaseLock> lock_;
  std::map<std::string, UniqueFd> occupied_;  // name -> listening socket
  std::mutex hits_mutex_;                     // injectors journal from threads of their own
  std::map<std::string, std::uint64_t> hits_;
  std::vector<std::pair<std::size_t, std::unique_ptr<SyscallInjection>>> injections_;  // by event
};

}  // namespace harness
