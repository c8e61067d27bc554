// The mock SuperLink's command line: the real SuperLink's flags (same names and defaults) and
// the mock-only ones.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "superlink/flower/exit_codes.h"

namespace superlink {

struct Options {
  // Flags of the real SuperLink (Flower 1.18).
  bool insecure = false;
  std::string ssl_certfile;
  std::string ssl_keyfile;
  std::string ssl_ca_certfile;
  std::string isolation = "subprocess";  // subprocess | process
  std::string database = ":flwr-in-memory-state:";
  std::string storage_dir;
  std::string serverappio_api_address = "0.0.0.0:9091";
  std::string fleet_api_type = "grpc-rere";  // grpc-rere | grpc-adapter | rest
  std::string fleet_api_address;             // default depends on fleet_api_type
  int fleet_api_num_workers = 1;
  std::string exec_api_address = "0.0.0.0:9093";
  // From 1.21 the Exec API is the Control API: --control-api-address, with --exec-api-address
  // kept as a deprecated alias (both given: 104). Whether each was on the command line.
  std::string control_api_address = "0.0.0.0:9093";
  bool control_api_address_given = false;
  bool exec_api_address_given = false;
  std::string simulationio_api_address = "0.0.0.0:9096";
  std::string flwr_dir;  // accepted, unused (the real one warns so)

  // Mock-only flags.
  std::vector<std::string> failpoints;  // NAME=ACTIONS, after FAILPOINTS from the environment
  std::optional<std::uint64_t> seed;
  std::string ready_file;
  std::string fault_journal;
  bool list_failpoints = false;
  ExitStatusMode exit_status = ExitStatusMode::kDocumented;
  int pending_runs = 0;
  std::string flower_version;  // --flower-version (already applied: see flower_version_in)

  // Started as `flower-superlink`: Flower's flags only, Flower's statuses, port 0 refused.
  bool persona = false;
  std::string failpoint_control;  // loopback HOST:PORT of the run-time control endpoint
};

struct ParseResult {
  enum class Kind {
    kRun,         // start the SuperLink with `options`
    kPrint,       // print `text` on stdout and exit 0 (--help, --version)
    kError,       // `text` says what is wrong: exit 104
    kUsageError,  // the persona: `text` is argparse's usage and error lines, exit 2
  };
  Kind kind = Kind::kRun;
  Options options;
  std::string text;
};

inline constexpr const char* kDefaultFleetGrpcAddress = "0.0.0.0:9092";
inline constexpr const char* kDefaultFleetRestAddress = "0.0.0.0:9095";

// The mock's flags, or the persona's when argv[0] is flower-superlink; then the environment
// (apply_environment).
ParseResult parse_options(int argc, const char* const* argv);

// SUPERLINK_READY_FILE and SUPERLINK_FAULT_JOURNAL fill what no flag set: the persona has no
// flag for them. (SUPERLINK_FAILPOINT_CONTROL belongs here too, beside its flag.)
void apply_environment(Options& options);

// The Flower version to imitate, before anything is parsed: the mock's `--flower-version V`
// (or `=V`), else SUPERLINK_FLOWER_VERSION (the persona's only way), else "1.18".
std::string flower_version_in(int argc, const char* const* argv);

// The exit status mode before anything is parsed: flower for the persona and for
// `--exit-status flower` / `--exit-status=flower`, documented otherwise.
ExitStatusMode exit_status_mode_in(int argc, const char* const* argv);

}  // namespace superlink
