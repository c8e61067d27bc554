// What the mock imitates of one Flower SuperLink release, as data: the code asks the active
// profile, never `if (version == ...)`. Adding a version is adding an entry
// (docs/mock-superlink.md, "How to add the next version").
#pragma once

#include <chrono>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "failpoint/failpoint.h"
#include "flower_api/exit_codes.h"

namespace superlink {

struct VersionProfile {
  std::string_view name;     // what --flower-version takes: "1.18"
  std::string_view release;  // the release imitated: "1.18.0"

  // Start-up lines, `{}` standing for the bound address.
  std::string_view control_api_line;  // Exec API (1.18) or Control API (1.26)
  std::string_view serverappio_line;
  std::string_view fleet_grpc_rere_line;
  std::string_view fleet_grpc_adapter_line;
  bool
      logs_node_auth_debug;  // "Automatic node authentication enabled" (DEBUG) before the Fleet API

  // The options the real flower-superlink's argparse has, in the order it adds them (after
  // -h/--help): what the persona takes, and its usage lines. Where --control-api-address is one,
  // --exec-api-address is its deprecated alias (has_control_api_flag).
  std::span<const std::string_view> persona_flags;

  // Threads: with --isolation subprocess, a supervised scheduler thread (true) or an
  // unsupervised flower-superexec child (false).
  bool scheduler_thread;

  // Whether the DEBUG warning (FLWR_LOG_LEVEL=DEBUG) already carries the timestamp: 1.18 prints
  // it before its logger switches timestamps on, 1.26.1 after (measured on both).
  bool debug_warning_timestamped;

  // The line of flwr/server/app.py in _run_fleet_api_rest (the call of uvicorn.run) that the REST
  // thread's tracebacks show.
  int fleet_api_rest_line;

  // REST Fleet API routes under /api/v0/fleet/ (from superlink_api/fleet_api_names.h).
  std::span<const std::string_view> fleet_routes;

  // Exit codes and help texts, and the help page's address without the code and ".html".
  std::span<const ExitCodeInfo> exit_codes;
  std::string_view help_url_prefix;
  // flwr_exit runs the exit handlers and, when this is non-zero, a watchdog that ends the
  // process this long after the exit began, should a handler hang.
  std::chrono::milliseconds forced_exit_after;

  // The persona refuses port 0 in every address (the mock's own mode takes it as "any port").
  bool persona_refuses_port_zero;

  // Failpoint sites: the SuperLink's, then those of its flower-superexec child (none in 1.18).
  std::span<const failpoint::SiteInfo> sites;
  std::span<const failpoint::SiteInfo> superexec_sites;

  // Without --enable-supernode-auth, the WARNING that any SuperNode may connect (1.26), after
  // the --insecure one.
  bool warns_supernode_auth_disabled = false;

  // get-run of a run that does not exist logs the state's ERROR before answering no run (1.18's
  // LinkState.get_run; 1.26 checks the node first, not imitated).
  bool logs_get_run_of_unknown_run = false;
};

// Every profile, oldest first.
std::span<const VersionProfile> version_profiles();
// The profile named `name`; nullptr for a version the mock does not imitate.
const VersionProfile* find_version_profile(std::string_view name);
// "1.18, 1.26"
std::string known_versions();

// Whether the version's flags include --control-api-address (1.21 on).
bool has_control_api_flag(const VersionProfile& profile);

// The profile this process imitates: 1.18 until set_active_profile is called (once, at start).
const VersionProfile& active_profile();
void set_active_profile(const VersionProfile& profile);

// The SuperLink's sites followed by the superexec's: what --list-failpoints prints and what
// may be armed.
std::vector<failpoint::SiteInfo> all_sites(const VersionProfile& profile);

// Why `site` cannot be armed on `profile` when another version has it ("... exists in Flower
// 1.18 only ..."); empty when the site is the profile's or no version knows it.
std::string site_of_other_version(const VersionProfile& profile, std::string_view site);

}  // namespace superlink
