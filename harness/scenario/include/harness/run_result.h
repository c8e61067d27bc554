// What one run of a target produced: the raw facts the verdict is computed from.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace harness {

using Nanos = std::chrono::nanoseconds;

enum class Stream { Stdout, Stderr };

struct LogLine {
  Stream stream = Stream::Stderr;
  Nanos at{0};       // since the target was spawned
  std::string raw;   // bytes as written (without the newline), colour codes kept
  std::string text;  // raw with ANSI escape sequences removed; what expectations match
};

// Output kept within a fixed budget: the first lines, the last lines, and a count of what fell
// in between. Line indexes in matches refer to head followed by tail.
struct CapturedLog {
  std::vector<LogLine> head;
  std::vector<LogLine> tail;
  std::uint64_t dropped_lines = 0;
  std::uint64_t dropped_bytes = 0;
  std::uint64_t total_bytes = 0;

  // The number of line `index` (head, then tail) as a person counts it in the whole output:
  // 1-based, the lines dropped between head and tail included. Every report and message uses
  // this one numbering.
  std::uint64_t line_number(std::size_t index) const {
    return index + 1 + (index < head.size() ? 0 : dropped_lines);
  }
};

// One line of the target's fault journal.
struct JournalEntry {
  std::uint64_t hit = 0;
  std::string site;
  std::string task;
  std::string arg;
  std::string thread;
  std::uint64_t seed = 0;
  std::int64_t mono_ns = 0;  // CLOCK_MONOTONIC
  long pid = 0;
};

// How the target ended.
struct Termination {
  enum class Kind {
    Exited,        // exited by itself with `code`
    Signaled,      // killed by `signal` (not sent by the harness's deadline)
    StillRunning,  // alive when the run ended; the harness then stopped it
    TimedOut,      // the deadline passed; the harness killed it
    NotStarted,    // spawn failed (see RunResult::harness_error)
  };
  Kind kind = Kind::NotStarted;
  int code = 0;
  int signal = 0;
  bool core_dumped = false;
  bool ignored_sigterm = false;  // needed SIGKILL after the grace period
};

struct EventOutcome {
  std::size_t event = 0;  // index in Scenario::events
  int repetition = 0;     // 0..count-1
  Nanos at{0};
  std::optional<int> status;  // HTTP status, for requests
  std::string body;       // at most 64 KiB of it
  std::string error;      // connection refused, ... (empty when it went through)
  bool body_cut = false;  // the body was longer than 64 KiB; the rest was not read
  // The request could not be sent (or the signal delivered, or a failpoint control refused or
  // timed out) while the target ran: the run fails. A target that exits within the grace period
  // after the failure makes it "target had exited".
  bool unsent = false;
  // What a failpoint control event or an outside fault did: "armed scheduler.tick=pause",
  // "locked /tmp/run-1/state.db"; a `run` command puts its output in `body`.
  std::string did = {};
  // With `unsent`: the platform cannot do the event at all (no system-call injector, ptrace
  // refused): a scenario that `requires` the capability is skipped instead of failed.
  bool unsupported = false;
  // gRPC status name, for gRPC calls; then `body` is the answer's JSON form:
  // {"code":"OK","details":"","message":{...}}
  std::optional<std::string> grpc_code = {};
};

struct RunResult {
  std::vector<std::string> argv;           // exactly what was spawned
  std::map<std::string, std::string> env;  // variables the harness added or changed
  std::string work_dir;  // the run's folder (ready file, journal, database); "." in a rerun
  long pid = 0;
  Termination end;
  bool ready = false;
  std::optional<Nanos> ready_at;
  std::optional<Nanos> exit_at;
  std::int64_t spawn_mono_ns = 0;  // CLOCK_MONOTONIC at spawn, to place journal times
  std::int64_t exit_mono_ns = 0;
  std::map<std::string, std::string> addresses;  // from the ready file: "fleet" -> "127.0.0.1:P"
  CapturedLog log;
  std::vector<JournalEntry> journal;
  std::vector<EventOutcome> events;
  // Processes of this run (its target's descendants, daemons included) alive when the target
  // ended, as "pid 123 (sleep)"; the harness killed them.
  std::vector<std::string> leftovers;
  std::optional<std::string> harness_error;  // the harness could not do its part
  Nanos wall{0};
  // How the run's processes were contained: "pid-namespace", "user+pid-namespace" or
  // "subreaper" (docs/robustness.md); empty when nothing was spawned.
  std::string containment;
};

}  // namespace harness
