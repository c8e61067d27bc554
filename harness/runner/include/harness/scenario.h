// A scenario: one target run with faults injected and what must be seen. Loaded from TOML
// (scenario_loader.h) or built in C++. Field names follow the TOML keys documented in
// docs/scenario-format.md.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace harness {

using Millis = std::chrono::milliseconds;

// [superlink]: the process under test. With `command` empty the bundled mock runs and the
// harness adds the address, ready-file and journal flags itself.
struct TargetSpec {
  std::vector<std::string> command;          // argv of a custom target (argv[0] searched in PATH)
  std::string isolation = "subprocess";      // --isolation
  std::string fleet_api_type = "grpc-rere";  // --fleet-api-type
  std::string exit_status;                   // --exit-status: "" (mock default), documented, flower
  std::vector<std::string> args;             // appended after the harness's own flags
  std::map<std::string, std::string> env;    // added to the harness's environment
  bool ready_file = true;                    // the target writes a ready file (the mock does)
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

// [[events]]: something done to the running target.
struct Event {
  // What the event waits for before its delay starts:
  //   Spawn  the process exists (posix_spawn returned): the target may not run its own code yet;
  //   Start  the target wrote its first line of output: it runs its own code;
  //   Ready  the target wrote its ready file;
  //   Fired  the failpoint `fired_site` fired (its first line in the fault journal).
  enum class Anchor { Spawn, Start, Ready, Fired };
  Anchor at = Anchor::Ready;
  std::string fired_site;  // with Anchor::Fired
  Millis delay{0};         // "ready+250ms"

  // Exactly one of these two.
  std::optional<std::string> request;  // Fleet API route: "create-node", "ping", ...
  std::optional<int> signal;           // SIGTERM, ...

  int count = 1;
  // Request details: headers replace the correct ones (an empty value removes the header).
  std::map<std::string, std::string> headers;
  std::optional<std::string> body;  // raw body; default: an empty (valid) message
  std::string method = "POST";

  // Checked on every response of this event (when set).
  std::optional<int> expect_status;
  std::optional<std::string> expect_body;  // regex, searched in the body
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
  std::optional<std::uint64_t> seed;
  Setup setup;
  std::vector<Event> events;
  Expect expect;
};

}  // namespace harness
