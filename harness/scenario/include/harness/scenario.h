// A scenario: one target run with faults injected and what must be seen. Loaded from TOML
// (scenario_loader.h) or built in C++. Field names follow the TOML keys documented in
// docs/scenario-format.md.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace harness {

using Millis = std::chrono::milliseconds;

// What the target is (`kind`): the bundled mock with its own flags, a SuperLink that takes only
// Flower's flags (the real one, or the mock's `flower-superlink` persona), or a custom command.
enum class TargetKind { Mock, Flower, Command };

// When the target counts as ready (`ready`): it wrote its ready file; every API port it serves
// accepts a connection; a line of its output matched `ready_line`; at once (spawn).
enum class Readiness { File, Ports, Line, None };

// [superlink]: the process under test. The harness allocates a loopback port for every API and
// passes them as flags (mock, flower) or through substitutions and the environment (command).
struct TargetSpec {
  TargetKind kind = TargetKind::Mock;        // kind_of(): Command whenever `command` is set
  std::vector<std::string> command;          // argv of a custom target (argv[0] searched in PATH)
  std::string isolation = "subprocess";      // --isolation
  std::string fleet_api_type = "grpc-rere";  // --fleet-api-type
  std::string exit_status;                   // --exit-status: "" (mock default), documented, flower
  std::vector<std::string> args;             // appended after the harness's own flags
  std::map<std::string, std::string> env;    // added to the harness's environment
  // Unset: File for the mock and a command, Ports for kind flower (effective_readiness).
  std::optional<Readiness> ready;
  std::string ready_line;  // with Readiness::Line: RE2, searched in every output line
  // database = "file": the state is a SQLite file, database_path(work_dir) (the mock and a
  // Flower-like target get --database); "memory" (default): the target's own default.
  std::string database = "memory";
  // The Flower version the target imitates: the mock's --flower-version, a command's
  // SUPERLINK_FLOWER_VERSION; "" leaves the target's default (1.18). scenario_versions.h.
  std::string flower_version;
};

// [setup]
struct Setup {
  // Ports the harness binds before the target starts so that the target's bind fails:
  // "fleet", "serverappio", "exec".
  std::vector<std::string> occupy;
};

// An [[events]] entry that controls the target's failpoints at run time, through the control
// endpoint whose address the target writes in its ready file (docs/mock-superlink.md).
struct FailpointControl {
  enum class Kind { Arm, Disarm, WaitPaused, Resume };
  static constexpr Millis kDefaultTimeout{5000};
  Kind kind = Kind::Arm;
  std::string site;
  std::string actions;               // Arm: the failpoint grammar's actions
  Millis timeout = kDefaultTimeout;  // WaitPaused, bounded by the run's deadline
};

// An [[events]] `syscall`: a system call of one of the target's threads made to fail (or to be
// delayed, or to bring a signal) by the system-call injector, from outside the target, whatever
// it is written in (harness/faults/syscall_injection.h, docs/scenario-format.md).
struct SyscallFault {
  // Which thread: a critical thread's role (found by its OS name where the target names its
  // threads, else by what it does), every thread of the target, or those whose OS name matches.
  enum class Thread { Scheduler, Rest, Any, Named };
  std::vector<std::string> calls;  // as written; a family name covers its variants at run time
  // Exactly one effect.
  std::optional<std::string> error;  // errno name: "EIO"
  std::optional<long> retval;        // the call "succeeds" with this value
  std::optional<Millis> delay;       // the call is held this long on entry
  std::optional<int> signal;         // the call brings this signal to the thread
  Thread thread = Thread::Any;
  std::string thread_name;       // RE2, searched in the OS thread name, with Thread::Named
  std::string path;              // only calls on this file (substitutions filled in at run time)
  int nth = 1;                   // the first matching call that is faulted, counted per thread
  std::optional<int> count = 1;  // how many from there; nullopt: every one
};

// The kinds of [[events]] entry besides FailpointControl and SyscallFault: one struct each.

// `request`: an HTTP request to the Fleet API.
struct RequestEvent {
  std::string route;  // "create-node", "raw/x", "/abs/path"
  std::string method = "POST";
  // Replace the correct headers (an empty value removes the header).
  std::map<std::string, std::string> headers{};
  std::optional<std::string> body{};   // raw body; default: an empty (valid) message
  std::optional<int> expect_status{};  // checked on every response (when set)
};

// `grpc`: an RPC of the Fleet service on gRPC-rere ("CreateNode").
struct GrpcEvent {
  std::string rpc;
  // The request in protobuf's JSON mapping (empty: an empty message), its message types (set by
  // the loader from the version's service), and whether it is signed as a SuperNode signs (one
  // key pair per run).
  std::string message{};
  std::string request_type{}, response_type{};
  bool sign = true;
  std::optional<std::string> expect_code{};  // a gRPC status name: "OK", "UNAVAILABLE"
};

// `signal`: SIGTERM, ...
struct SignalEvent {
  int signal = 0;
};

// Outside faults, done by the harness and journalled as `outside.*` sites (outside_faults.h).
struct DatabaseEvent {
  std::string fault;  // corrupt, truncate, lock, unlock, remove
};
struct OccupyEvent {
  std::string port;  // bind the target's port: fleet, serverappio, exec
};
struct ReleaseEvent {
  std::string port;  // close what `occupy` bound
};
struct RunEvent {
  std::vector<std::string> argv;  // a command of the user's, run to completion
};

// [[events]]: something done to the running target.
struct Event {
  // What the event waits for before its delay starts:
  //   Spawn  the process exists (posix_spawn returned): the target may not run its own code yet;
  //   Start  the target wrote its first line of output: it runs its own code;
  //   Ready  the target wrote its ready file;
  //   Fired  the failpoint `fired_site` fired (its first line in the fault journal).
  //   Line   a line of output matched `line_pattern` (RE2, searched; first match counts).
  enum class Anchor { Spawn, Start, Ready, Fired, Line };
  Anchor at = Anchor::Ready;
  std::string fired_site;    // with Anchor::Fired
  std::string line_pattern;  // with Anchor::Line
  Millis delay{0};           // "ready+250ms"

  // What it does: a new kind of event is one more struct here and one more visitor case.
  // FailpointControl waits for ready; SyscallFault is journalled as `outside.syscall` per call.
  using Action = std::variant<RequestEvent, GrpcEvent, SignalEvent, FailpointControl, DatabaseEvent,
                              OccupyEvent, ReleaseEvent, RunEvent, SyscallFault>;
  Action action;

  // The action of kind T, or nullptr.
  template <class T>
  const T* as() const {
    return std::get_if<T>(&action);
  }
  template <class T>
  T* as() {
    return std::get_if<T>(&action);
  }

  int count = 1;
  // With a request or a gRPC call: the events after it go on at once; its answers arrive in
  // their own time (a request in flight while something else happens). The events are done once
  // they are in.
  bool background = false;
  // With a request or a gRPC call: a regex searched in the body of every response (when set).
  std::optional<std::string> expect_body;
};

// [expect]
struct Expect {
  std::optional<int> exit_code;  // process exit status
  std::optional<int> signal;     // killed by this signal
  bool still_running = false;    // alive at the end of the run (then stopped by the harness)
  Millis hold{500};  // with still_running: how long after the last event it must stay up
  std::optional<Millis> within_ms;  // exit no later than this after the fault fired (else ready)
  std::vector<std::string> stderr_lines;  // regexes, matched in order (FileCheck-like)
  std::vector<std::string> stdout_lines;
  std::vector<std::string> stderr_not;  // regexes that must match no line
  std::vector<std::string> stdout_not;
  std::optional<std::vector<std::string>> fired;  // exactly these sites fired (empty: none)
  // leftovers = "allowed": processes that outlive the target are reported but do not fail the
  // run (default "fail").
  bool leftovers_allowed = false;
};

// A spec with a `command` is a command whatever its `kind` says (C++ callers set only that).
inline TargetKind kind_of(const TargetSpec& target) {
  return target.command.empty() ? target.kind : TargetKind::Command;
}

inline Readiness effective_readiness(const TargetSpec& target) {
  if (target.ready) return *target.ready;
  return kind_of(target) == TargetKind::Flower ? Readiness::Ports : Readiness::File;
}

struct Scenario {
  std::string name;   // file stem
  std::string file;   // path it was loaded from ("" when built in C++)
  std::string group;  // folder under the catalogue root: scheduler, rest, ...
  std::string description;
  std::vector<std::string> labels;
  // `requires`: what the target must support, or the run is skipped ("failpoints"). Arming or
  // expecting a failpoint requires failpoints too (scenario_requirements.h).
  std::vector<std::string> requirements;
  Millis timeout{10000};
  bool negative = false;  // expectations are wrong on purpose: passes when the verdict fails
  std::optional<std::string> negative_message;  // regex the failure message must match
  // `versions`: the Flower versions the promise holds for; empty: every version known.
  std::vector<std::string> versions;

  TargetSpec superlink;
  std::map<std::string, std::string> failpoints;  // site -> actions, passed in FAILPOINTS
  // Where the file names each site it arms ([failpoints] keys, `arm` events): line, column (1-
  // based), for messages about a site the target lacks. Filled by the loader.
  std::map<std::string, std::pair<std::size_t, std::size_t>> site_positions;
  std::optional<std::uint64_t> seed;
  Setup setup;
  std::vector<Event> events;
  Expect expect;
};

}  // namespace harness
