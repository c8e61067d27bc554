#include "superlink/app/options.h"

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstdlib>

#include "superlink/app/persona_options.h"
#include "superlink/flower/version.h"
#include "superlink/flower/version_profile.h"

namespace superlink {
namespace {

void add_options(CLI::App& app, Options& o, std::string& exit_status, bool& version) {
  // argparse keeps the last value of a repeated flag; so do we.
  app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  app.add_flag("--insecure", o.insecure,
               "Run the server without HTTPS, regardless of whether certificate paths are "
               "provided. Data transmitted between the gRPC client and server is not encrypted.");
  app.add_option("--ssl-certfile", o.ssl_certfile, "Fleet API server SSL certificate file");
  app.add_option("--ssl-keyfile", o.ssl_keyfile, "Fleet API server SSL private key file");
  app.add_option("--ssl-ca-certfile", o.ssl_ca_certfile,
                 "Fleet API server SSL CA certificate file");
  app.add_option("--isolation", o.isolation,
                 "Isolation mode when running a ServerApp (subprocess starts it from the "
                 "scheduler thread; process expects it to be started separately)")
      ->check(CLI::IsMember({"subprocess", "process"}))
      ->capture_default_str();
  app.add_option("--database", o.database, "State database (the mock keeps it in memory)")
      ->capture_default_str();
  app.add_option("--storage-dir", o.storage_dir, "Directory for FAB files");
  app.add_option("--serverappio-api-address", o.serverappio_api_address,
                 "ServerAppIo API (gRPC) server address (IPv4, IPv6, or a domain name)")
      ->capture_default_str();
  app.add_option("--fleet-api-type", o.fleet_api_type,
                 "Start a gRPC-rere or REST (experimental) Fleet API server")
      ->check(CLI::IsMember({"grpc-rere", "grpc-adapter", "rest"}))
      ->capture_default_str();
  app.add_option("--fleet-api-address", o.fleet_api_address,
                 "Fleet API server address (default 0.0.0.0:9092 for gRPC, 0.0.0.0:9095 for rest)");
  app.add_option("--fleet-api-num-workers", o.fleet_api_num_workers,
                 "Number of Fleet API REST workers (only 1 is supported)")
      ->capture_default_str();
  app.add_option("--exec-api-address", o.exec_api_address,
                 "Exec API server address (from 1.26: deprecated alias of --control-api-address)")
      ->capture_default_str();
  app.add_option("--control-api-address", o.control_api_address,
                 "Control API server address (--flower-version 1.26)")
      ->capture_default_str();
  app.add_option("--simulationio-api-address", o.simulationio_api_address,
                 "SimulationIo API server address")
      ->capture_default_str();

  app.add_option("--failpoint", o.failpoints,
                 "Arm a failpoint: NAME=ACTIONS (repeatable; same grammar as FAILPOINTS)")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  app.add_option("--seed", o.seed, "Seed of the generator behind probabilistic failpoints");
  app.add_option("--ready-file", o.ready_file,
                 "Write this JSON file once every listener is bound and every critical thread "
                 "runs");
  app.add_option("--fault-journal", o.fault_journal, "Append one JSON line per failpoint firing");
  app.add_flag("--list-failpoints", o.list_failpoints, "Print every failpoint site and exit");
  app.add_option("--exit-status", exit_status,
                 "documented: exit with Flower's documented codes; flower: like the real "
                 "SuperLink (1 for errors, 0 otherwise)")
      ->check(CLI::IsMember({"documented", "flower"}))
      ->capture_default_str();
  app.add_option("--pending-runs", o.pending_runs, "Seed the state with N pending runs")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--failpoint-control", o.failpoint_control,
                 "Serve run-time failpoint control (HTTP, JSON) on this loopback HOST:PORT");
  app.add_option("--flower-version", o.flower_version,
                 "The Flower SuperLink release to imitate: 1.18 (default) or 1.26 (also "
                 "SUPERLINK_FLOWER_VERSION)");
  app.add_flag("--version", version, "Print the version and exit");
}

}  // namespace

std::string flower_version_in(int argc, const char* const* argv) {
  std::optional<std::string> chosen;
  if (argc == 0 || !started_as_persona(argv[0])) {
    for (int i = 1; i < argc; ++i) {
      const std::string_view arg = argv[i];
      if (arg == "--flower-version" && i + 1 < argc) {
        chosen = argv[++i];
      } else if (arg.starts_with("--flower-version=")) {
        chosen = std::string(arg.substr(std::string_view("--flower-version=").size()));
      }
    }
  }
  if (chosen) return *chosen;
  const char* env = std::getenv("SUPERLINK_FLOWER_VERSION");
  return env != nullptr && *env != '\0' ? env : "1.18";
}

ExitStatusMode exit_status_mode_in(int argc, const char* const* argv) {
  if (argc > 0 && started_as_persona(argv[0])) return ExitStatusMode::kFlower;
  ExitStatusMode mode = ExitStatusMode::kDocumented;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    std::string_view value;
    if (arg == "--exit-status" && i + 1 < argc) {
      value = argv[++i];
    } else if (arg.starts_with("--exit-status=")) {
      value = arg.substr(std::string_view("--exit-status=").size());
    } else {
      continue;
    }
    mode = value == "flower" ? ExitStatusMode::kFlower : ExitStatusMode::kDocumented;
  }
  return mode;
}

void apply_environment(Options& options) {
  const auto fill = [](std::string& value, const char* name) {
    const char* env = std::getenv(name);
    if (value.empty() && env != nullptr) value = env;
  };
  fill(options.ready_file, "SUPERLINK_READY_FILE");
  fill(options.fault_journal, "SUPERLINK_FAULT_JOURNAL");
  // The persona takes no mock-only flag: what a harness needs of it comes this way. A real
  // SuperLink ignores these variables, which is how the harness tells the two apart.
  if (const char* list = std::getenv("SUPERLINK_LIST_FAILPOINTS"); list && *list) {
    options.list_failpoints = true;
  }
  if (const char* seed = std::getenv("SUPERLINK_SEED"); seed && *seed && !options.seed) {
    char* end = nullptr;
    errno = 0;
    const unsigned long long value = std::strtoull(seed, &end, 10);
    if (errno == 0 && *end == '\0' && *seed != '-') options.seed = value;
  }
}

ParseResult parse_options(int argc, const char* const* argv) {
  if (argc > 0 && started_as_persona(argv[0])) {
    ParseResult persona = parse_persona_options(argc, argv);
    apply_environment(persona.options);
    return persona;
  }
  ParseResult result;
  Options& o = result.options;
  std::string exit_status = "documented";
  bool version = false;
  CLI::App app{
      "Start a mock Flower SuperLink: real threads, ports, logs and exit codes, with "
      "failpoints.",
      "mock-superlink"};
  add_options(app, o, exit_status, version);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    result.kind = ParseResult::Kind::kPrint;
    result.text = app.help();
    return result;
  } catch (const CLI::ParseError& e) {
    result.kind = ParseResult::Kind::kError;
    result.text = e.what();
    // The exit status of a bad command line still follows --exit-status when it was given:
    // flower mode must exit 1 here too, even though the rest of the line did not parse.
    o.exit_status = exit_status_mode_in(argc, argv);
    return result;
  }
  if (version) {
    result.kind = ParseResult::Kind::kPrint;
    result.text = std::string("mock-superlink ") + kVersion + " (Flower SuperLink " +
                  std::string(active_profile().name) + " interface)\n";
    return result;
  }
  o.exit_status = exit_status == "flower" ? ExitStatusMode::kFlower : ExitStatusMode::kDocumented;
  o.exec_api_address_given = app.count("--exec-api-address") > 0;
  o.control_api_address_given = app.count("--control-api-address") > 0;
  if (o.control_api_address_given && !has_control_api_flag(active_profile())) {
    result.kind = ParseResult::Kind::kError;
    result.text = "--control-api-address: Flower " + std::string(active_profile().name) +
                  " has no Control API (its Exec API listens on --exec-api-address; the Control "
                  "API came in 1.21: --flower-version " +
                  "1.26)";
    return result;
  }
  if (o.fleet_api_address.empty()) {
    o.fleet_api_address =
        o.fleet_api_type == "rest" ? kDefaultFleetRestAddress : kDefaultFleetGrpcAddress;
  }
  apply_environment(o);
  return result;
}

}  // namespace superlink
