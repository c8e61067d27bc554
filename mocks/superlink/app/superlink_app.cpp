#include "superlink/app/superlink_app.h"

#include <spdlog/spdlog.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <mutex>
#include <random>
#include <set>

#include "failpoint/failpoint.h"
#include "superlink/app/failpoint_control.h"
#include "superlink/app/options.h"
#include "superlink/app/ready_file.h"
#include "superlink/fleet/address.h"
#include "superlink/fleet/crash_report.h"
#include "superlink/fleet/grpc_fleet.h"
#include "superlink/fleet/grpc_listener.h"
#include "superlink/fleet/rest_server.h"
#include "superlink/flower/exit_codes.h"
#include "superlink/flower/exit_handlers.h"
#include "superlink/flower/flower_log.h"
#include "superlink/flower/version_profile.h"
#include "superlink/runtime/fatal_signal.h"
#include "superlink/runtime/scheduler.h"
#include "superlink/runtime/serverapp_launcher.h"
#include "superlink/runtime/superexec_launcher.h"
#include "superlink/runtime/supervisor.h"
#include "superlink/runtime/termination_signals.h"
#include "superlink/state/link_state.h"

namespace superlink {
namespace {

// The real SuperLink dies of an uncaught exception (status 1, in either mode) when a gRPC server
// cannot bind or certificates are missing; these are not documented exit codes.
constexpr int kUncaughtErrorStatus = 1;
// argparse's status for a command line it refuses (the persona).
constexpr int kArgparseErrorStatus = 2;

[[noreturn]] void fail_uncaught(const std::string& message) {
  spdlog::error("{}", message);
  spdlog::default_logger()->flush();
  ::_exit(kUncaughtErrorStatus);
}

void on_failpoint_exit(int status) {
  spdlog::default_logger()->flush();
  ::_exit(status);
}

void on_failpoint_print(std::string_view site, std::string_view message) {
  spdlog::info("failpoint {}: {}", site, message);
}

// A site another version has is refused by name, before the generic "unknown site".
void refuse_other_versions_sites(std::string_view spec) {
  for (const std::string& name : failpoint::spec_site_names(spec)) {
    if (std::string refusal = site_of_other_version(active_profile(), name); !refusal.empty()) {
      throw failpoint::SpecError(refusal);
    }
  }
}

// FAILPOINTS first, then each --failpoint (which may re-arm a site). Throws SpecError.
void arm_failpoints(const Options& options) {
  if constexpr (!failpoint::kSitesCompiledIn) {
    const char* env = std::getenv("FAILPOINTS");
    if (env != nullptr && *env != '\0') {
      throw failpoint::SpecError(failpoint::compiled_out_refusal("FAILPOINTS"));
    }
    if (!options.failpoints.empty()) {
      throw failpoint::SpecError(failpoint::compiled_out_refusal("--failpoint"));
    }
  }
  failpoint::declare_sites(all_sites(active_profile()));
  if (const char* env = std::getenv("FAILPOINTS"); env != nullptr && *env != '\0') {
    refuse_other_versions_sites(env);
    failpoint::configure(env);
  }
  for (const std::string& spec : options.failpoints) {
    refuse_other_versions_sites(spec);
    const auto equals = spec.find('=');
    if (equals == std::string::npos) {
      throw failpoint::SpecError("--failpoint '" + spec + "': expected NAME=ACTIONS");
    }
    failpoint::configure_one(spec.substr(0, equals), spec.substr(equals + 1));
  }
  failpoint::set_seed(options.seed ? *options.seed : std::random_device{}());
  if (!options.fault_journal.empty()) failpoint::open_journal(options.fault_journal);
  failpoint::set_print_handler(on_failpoint_print);
  failpoint::set_exit_handler(on_failpoint_exit);
  // A panic is a crash from the moment it fires: a signal sent on its journal line queues behind.
  failpoint::set_panic_handler(
      [](std::string_view, std::string_view) { Supervisor::current_thread_dying(); });
}

// Port 0 ("any free port") is the mock's extension; the persona refuses it as 1.18 does.
Address parse_or_exit(const std::string& text, const Options& options) {
  auto address = parse_address(text);
  const bool refused_zero = options.persona && active_profile().persona_refuses_port_zero;
  if (!address || (refused_zero && address->port == 0)) {
    flwr_exit(exit_code::kAddressInvalid, "Address (" + text + ") cannot be parsed.",
              options.exit_status);
  }
  return *address;
}

// Every mode prints the real SuperLink's line: its sys.exit(message) before the gRPC server
// binds, bare on stderr, status 1. Any bind failure reads so, as its test bind reports any
// OSError as a port in use.
Address bind_or_exit(const Address& address, const std::string& thread) {
  try {
    return bind_grpc_listener(address, thread);
  } catch (const BindFailure&) {
    write_raw_stderr("Port in server address " + format_address(address) + " is already in use.\n");
    ::_exit(kUncaughtErrorStatus);
  }
}

void check_certificates(const Options& options) {
  if (options.insecure) {
    spdlog::warn(
        "Option `--insecure` was set. Starting insecure HTTP server with unencrypted "
        "communication (TLS disabled). Proceed only if you understand the risks.");
    return;
  }
  if (options.ssl_certfile.empty() || options.ssl_keyfile.empty() ||
      options.ssl_ca_certfile.empty()) {
    fail_uncaught(
        "Certificates are required unless running in insecure mode. Please provide certificate "
        "paths to `--ssl-certfile`, `--ssl-keyfile`, and `--ssl-ca-certfile` or run the server "
        "in insecure mode using `--insecure` if you understand the risks.");
  }
  if (options.fleet_api_type == "rest") {
    flwr_exit(exit_code::kTlsNotSupported, "The mock serves the REST Fleet API without TLS.",
              options.exit_status);
  }
}

// A quiet end has no cause to quote: "stopped without an error" reads as one phrase.
std::string stopped_thread_line(const SupervisorEvent& event) {
  return "Critical background thread '" + event.thread + "' " +
         (event.cause == kStoppedQuietly ? "" : "stopped: ") + event.cause;
}

// Waits for every started ServerApp, so none is left behind by a graceful exit.
void reap_children() {
  while (::waitpid(-1, nullptr, 0) > 0 || errno == EINTR) {
  }
}

class App {
 public:
  explicit App(const Options& options)
      : options_(options), states_(options.database), rest_server_(states_), grpc_fleet_(states_) {}

  // Flower's order: the Fleet address is parsed only after the Exec and ServerAppIo APIs
  // started, so a bad one exits 600 after their lines; the others fail before the WARNING.
  [[noreturn]] void run() {
    // The real SuperLink installs its handlers last: until then a signal takes its default
    // action. Documented mode holds the signals until start-up is done, then exits gracefully.
    if (flower_mode()) {
      start_signal_thread(supervisor_, SignalsUntilHandled::kDefaultAction);
      supervisor_.set_poll_interval(kFlowerPollInterval);
    }
    spdlog::info("Starting Flower SuperLink");
    if (!options_.flwr_dir.empty()) {
      spdlog::warn("The `--flwr-dir` option is currently not in use and will be ignored.");
    }
    if (failpoint::any_probabilistic()) spdlog::info("Failpoint seed: {}", failpoint::seed());
    const std::string control = control_api_address();
    const Address serverappio = parse_or_exit(options_.serverappio_api_address, options_);
    const Address exec = parse_or_exit(control, options_);
    parse_or_exit(options_.simulationio_api_address, options_);
    check_certificates(options_);
    if (profile_.warns_supernode_auth_disabled) {
      spdlog::warn(
          "SuperNode authentication is disabled. The SuperLink will accept connections from any "
          "SuperNode.");
    }

    ready_.exec = format_address(bind_or_exit(exec, "grpc-exec"));
    spdlog::info(fmt::runtime(profile_.control_api_line), ready_.exec);
    const Address serverappio_bound = bind_or_exit(serverappio, "grpc-serverappio");
    ready_.serverappio = format_address(serverappio_bound);
    spdlog::info(fmt::runtime(profile_.serverappio_line), ready_.serverappio);
    start_fleet(parse_or_exit(options_.fleet_api_address, options_));
    if (options_.isolation == "subprocess") {
      if (profile_.scheduler_thread) {
        start_scheduler(serverappio_bound);
      } else {
        start_superexec(serverappio_bound);
      }
    }
    FAILPOINT("superlink.startup");
    if (flower_mode()) {
      enable_graceful_exit();
    } else {
      start_signal_thread(supervisor_, SignalsUntilHandled::kGraceful);
    }
    if (expected_ready_.empty()) write_ready_file_if_asked();
    supervise();
  }

 private:
  // The real SuperLink's main thread: while all(is_alive()): sleep(0.1).
  static constexpr std::chrono::milliseconds kFlowerPollInterval{100};

  ExitStatusMode mode() const { return options_.exit_status; }

  // The Exec API's address (1.18), or the Control API's, after Flower's checks of the two flags:
  // both given is 104, the old one alone is warned about and wins.
  std::string control_api_address() const {
    if (!has_control_api_flag(profile_)) return options_.exec_api_address;
    if (options_.control_api_address_given && options_.exec_api_address_given) {
      flwr_exit(exit_code::kInvalidArgs,
                "Both `--control-api-address` and `--exec-api-address` are set. Please use only "
                "`--control-api-address` as `--exec-api-address` is deprecated.",
                mode());
    }
    if (!options_.exec_api_address_given) return options_.control_api_address;
    spdlog::warn(
        "The `--exec-api-address` argument is deprecated and will be removed in a future "
        "release. Use `--control-api-address` instead.");
    return options_.exec_api_address;
  }
  bool flower_mode() const { return mode() == ExitStatusMode::kFlower; }

  void start_fleet(const Address& fleet) {
    // Flower warns before it looks at the Fleet API type: gRPC types are warned about too.
    if (options_.fleet_api_num_workers != 1) {
      spdlog::warn(
          "The Fleet API currently supports only 1 worker. You have specified {} workers. "
          "Support for multiple workers will be added in future releases. Proceeding with a "
          "single worker.",
          options_.fleet_api_num_workers);
    }
    if (options_.fleet_api_type == "rest") {
      expected_ready_.insert("rest");
      // The crash is decided when the panic is caught: a signal during the unwinding must not
      // overtake it (a crash exits 100 whatever arrives after it).
      rest_server_.on_failure([this](std::exception_ptr cause) {
        supervisor_.report_stopping("rest", describe_exception(cause));
      });
      supervisor_.start("rest", [this, fleet] {
        run_reporting_uncaught("rest", [this, fleet] {
          rest_server_.run(fleet.host, fleet.port, [this, fleet](int port) {
            Address bound = fleet;
            bound.port = port;
            {
              std::lock_guard lock(mutex_);
              ready_.fleet = format_address(bound);
            }
            // No Flower version prints a "Starting Fleet API (REST)" line: the REST thread's own
            // lines (uvicorn's) say where it listens.
            supervisor_.mark_ready("rest");
          });
        });
      });
      return;
    }
    const bool adapter = options_.fleet_api_type == "grpc-adapter";
    if (!adapter && profile_.logs_node_auth_debug) {
      spdlog::debug("Automatic node authentication enabled");
    }
    if (adapter) {
      ready_.fleet = format_address(bind_or_exit(fleet, "grpc-fleet"));
    } else {
      try {
        ready_.fleet = format_address(grpc_fleet_.start(fleet));
      } catch (const BindFailure&) {
        write_raw_stderr("Port in server address " + format_address(fleet) +
                         " is already in use.\n");
        ::_exit(kUncaughtErrorStatus);
      }
    }
    spdlog::info(
        fmt::runtime(adapter ? profile_.fleet_grpc_adapter_line : profile_.fleet_grpc_rere_line),
        ready_.fleet);
  }

  void start_scheduler(const Address& serverappio_bound) {
    SchedulerConfig config{sibling_executable("mock-serverapp"),
                           format_address(connectable(serverappio_bound)),
                           std::chrono::milliseconds(100), options_.pending_runs};
    expected_ready_.insert("scheduler");
    supervisor_.start("scheduler", [this, config = std::move(config)] {
      run_reporting_uncaught("scheduler", [this, &config] {
        spdlog::debug("Started flwr-serverapp scheduler thread.");
        spdlog::debug(options_.database == ":flwr-in-memory-state:" ? "Using InMemoryState"
                                                                    : "Using SqliteState");
        Scheduler scheduler(states_, config);
        scheduler.run([this] { supervisor_.mark_ready("scheduler"); });
      });
    });
  }

  // From 1.21: a flower-superexec child, started and forgotten (nothing watches it; it watches
  // its parent). Its failpoints are the superexec.* sites armed here.
  void start_superexec(const Address& serverappio_bound) {
    try {
      spawn_superexec(superexec_executable(), format_address(connectable(serverappio_bound)),
                      superexec_failpoints(), options_.fault_journal);
    } catch (const std::system_error& e) {
      fail_uncaught(std::string("Cannot start flower-superexec: ") + e.what());
    }
  }

  std::string superexec_failpoints() const {
    std::string spec;
    for (const std::string& site : failpoint::armed_sites()) {
      if (!site.starts_with("superexec.")) continue;
      spec += (spec.empty() ? "" : ";") + site + "=" + failpoint::armed_actions(site).value_or("");
    }
    return spec;
  }

  void write_ready_file_if_asked() {
    if (options_.ready_file.empty()) return;
    ReadyInfo info;
    info.pid = ::getpid();
    info.fleet_api_type = options_.fleet_api_type;
    {
      std::lock_guard lock(mutex_);
      info.fleet_api_address = ready_.fleet;
    }
    info.serverappio_api_address = ready_.serverappio;
    info.exec_api_address = ready_.exec;
    info.critical_threads = supervisor_.thread_names();
    info.failpoint_control_address = failpoint_control_address();
    try {
      write_ready_file(options_.ready_file, info);
    } catch (const std::system_error& e) {
      fail_uncaught(std::string("Cannot write the ready file: ") + e.what());
    }
  }

  [[noreturn]] void supervise() {
    for (;;) {
      const SupervisorEvent event = supervisor_.wait();
      switch (event.kind) {
        case SupervisorEvent::Kind::kThreadReady:
          expected_ready_.erase(event.thread);
          if (expected_ready_.empty()) write_ready_file_if_asked();
          break;
        case SupervisorEvent::Kind::kThreadStopped:
          // The exit block is the real one's (no message line). Documented mode names the
          // thread and the cause in a record of its own; the real SuperLink never does. The
          // thread is joined first: a crash reported before it unwound (a panic at
          // rest.request, a failed wait of the REST loop) prints its traceback before these.
          supervisor_.join(event.thread);
          if (!flower_mode()) spdlog::error("{}", stopped_thread_line(event));
          flwr_exit(exit_code::kThreadCrash, "", mode());
        case SupervisorEvent::Kind::kSignal:
          spdlog::info("SuperLink terminated gracefully.");
          // The ServerApps the scheduler started; a flower-superexec child is not waited for.
          if (profile_.scheduler_thread) reap_children();
          run_exit_handlers_then_exit(process_status(graceful_exit_code(event.signal), mode()));
      }
    }
  }

  const Options& options_;
  const VersionProfile& profile_ = active_profile();
  Supervisor supervisor_;
  StateFactory states_;  // --database: shared by the scheduler and the REST handlers
  RestServer rest_server_;
  GrpcFleetServer grpc_fleet_;  // the Fleet API on gRPC-rere, not a critical thread
  std::set<std::string> expected_ready_;
  std::mutex mutex_;  // guards ready_.fleet, written by the rest thread
  struct {
    std::string exec, serverappio, fleet;
  } ready_;
};

}  // namespace

int superlink_main(int argc, const char* const* argv) {
  const ExitStatusMode early_mode = exit_status_mode_in(argc, argv);
  const std::string version = flower_version_in(argc, argv);
  const VersionProfile* profile = find_version_profile(version);
  if (profile != nullptr) set_active_profile(*profile);
  const LogSettingsResult log = log_settings_from_env(early_mode == ExitStatusMode::kFlower);
  // Like Flower's logger at import time: the DEBUG warning is printed before the command line is
  // even read, and in 1.18 before timestamps are switched on.
  LogSettings first_settings = log.settings;
  if (!active_profile().debug_warning_timestamped) first_settings.timestamps = false;
  install_flower_logger(first_settings);
  install_fatal_signal_handlers(log.settings.colour);
  if (log.settings.level <= spdlog::level::debug) {
    spdlog::warn(
        "DEBUG logs enabled. Do not use this in production, as it may expose sensitive "
        "details.");
    install_flower_logger(log.settings);
  }
  if (log.error) {
    if (early_mode == ExitStatusMode::kDocumented) {
      flwr_exit(exit_code::kInvalidArgs, *log.error, early_mode);
    }
    spdlog::error("{}", *log.error);  // Flower carries on at its default level
  }

  if (profile == nullptr) {
    flwr_exit(
        exit_code::kInvalidArgs,
        "Unknown Flower version '" + version +
            "' (--flower-version or SUPERLINK_FLOWER_VERSION); known versions: " + known_versions(),
        early_mode);
  }

  ParseResult parsed = parse_options(argc, argv);
  const Options& options = parsed.options;
  // Before --help: the harness asks the persona for its sites as `--help` with
  // SUPERLINK_LIST_FAILPOINTS set, which a real SuperLink answers with its help.
  if (options.list_failpoints) {
    // An off build lists nothing: that is how the harness learns it has no failpoints.
    if (failpoint::kSitesCompiledIn)
      for (const auto& site : all_sites(active_profile()))
        std::cout << site.name << "  " << site.where << "\n";
    std::cout << std::flush;
    return 0;
  }
  if (parsed.kind == ParseResult::Kind::kPrint) {
    std::cout << parsed.text << std::flush;
    return 0;
  }
  if (parsed.kind == ParseResult::Kind::kUsageError) {
    write_raw_stderr(parsed.text);
    ::_exit(kArgparseErrorStatus);
  }
  if (parsed.kind == ParseResult::Kind::kError) {
    flwr_exit(exit_code::kInvalidArgs, parsed.text, options.exit_status);
  }
  try {
    arm_failpoints(options);
  } catch (const failpoint::SpecError& e) {
    flwr_exit(exit_code::kInvalidArgs, e.what(), options.exit_status);
  } catch (const std::system_error& e) {
    flwr_exit(exit_code::kInvalidArgs, std::string("--fault-journal: ") + e.what(),
              options.exit_status);
  }
  block_termination_signals();
  std::signal(SIGPIPE, SIG_IGN);  // a client that hangs up must not end the process
  // After the signals are blocked (its threads must never take them), before anything starts.
  start_failpoint_control_or_exit(options.failpoint_control, options.exit_status);
  // Lives until _exit: the threads use it, and its destructor must never run under them.
  static App* app = new App(options);
  app->run();
}

}  // namespace superlink
