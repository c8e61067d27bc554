#include "superlink/app/superexec_app.h"

#include <pthread.h>
#include <spdlog/spdlog.h>
#include <sys/types.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <thread>

#include "failpoint/failpoint.h"
#include "superlink/fleet/crash_report.h"
#include "superlink/flower/exit_codes.h"
#include "superlink/flower/flower_log.h"
#include "superlink/flower/version_profile.h"
#include "superlink/runtime/termination_signals.h"

namespace superlink {
namespace {

// The real monitor's period (supercore/app_utils.py, start_parent_process_monitor) and main
// loop's (supercore/superexec/run_superexec.py).
constexpr std::chrono::milliseconds kParentPollInterval{200};
constexpr std::chrono::seconds kMainLoopInterval{1};
constexpr int kArgparseErrorStatus = 2;
constexpr int kUncaughtErrorStatus = 1;

struct SuperexecOptions {
  std::string appio_api_address;
  std::string plugin_type;
  std::optional<pid_t> parent_pid;
  bool list_failpoints = false;
};

// The newest profile that has a superexec: the program exists from 1.21 on.
const VersionProfile& superexec_profile() {
  const VersionProfile* chosen = nullptr;
  for (const VersionProfile& profile : version_profiles()) {
    if (!profile.superexec_sites.empty()) chosen = &profile;
  }
  return *chosen;
}

void arm_from_environment() {
  failpoint::declare_sites(
      {superexec_profile().superexec_sites.begin(), superexec_profile().superexec_sites.end()});
  if (const char* env = std::getenv("FAILPOINTS"); env != nullptr && *env != '\0') {
    failpoint::configure(env);
  }
  if (const char* journal = std::getenv("SUPERLINK_FAULT_JOURNAL");
      journal != nullptr && *journal != '\0') {
    failpoint::open_journal(journal);
  }
  failpoint::set_print_handler([](std::string_view site, std::string_view message) {
    spdlog::info("failpoint {}: {}", site, message);
  });
  failpoint::set_exit_handler([](int status) {
    spdlog::default_logger()->flush();
    ::_exit(status);
  });
}

// Takes the termination signals (blocked everywhere else) and exits gracefully, as the real
// one's handlers do.
void start_signal_waiter() {
  std::thread([] {
    pthread_setname_np(pthread_self(), "signals");
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGQUIT);
    sigaddset(&set, SIGTERM);
    int signo = 0;
    while (sigwait(&set, &signo) != 0) {
    }
    flwr_exit(graceful_exit_code(signo), "SuperExec terminated gracefully.",
              ExitStatusMode::kFlower);
  }).detach();
}

// kill(pid, 0) as the real one's os.kill(pid, 0): a pid that is gone (or not ours to signal)
// ends the watch with SIGINT to this process.
void start_parent_monitor(pid_t parent) {
  std::thread([parent] {
    pthread_setname_np(pthread_self(), "parent-monitor");
    for (;;) {
      std::this_thread::sleep_for(kParentPollInterval);
      if (::kill(parent, 0) != 0) {
        ::kill(::getpid(), SIGINT);
        return;
      }
    }
  }).detach();
}

[[noreturn]] void die_uncaught(std::exception_ptr error) {
  write_raw_stderr("Traceback (most recent call last):\n  File \"" +
                   std::string("/usr/local/lib/python3.11/dist-packages/flwr/supercore/superexec/"
                               "run_superexec.py") +
                   "\", in run_superexec\n" + python_exception_type(error) + ": " +
                   [&] {
                     try {
                       std::rethrow_exception(error);
                     } catch (const std::exception& e) {
                       return std::string(e.what());
                     } catch (...) {
                       return std::string();
                     }
                   }() +
                   "\n");
  ::_exit(kUncaughtErrorStatus);
}

[[noreturn]] void run(const SuperexecOptions& options) {
  block_termination_signals();
  try {
    FAILPOINT("superexec.start");
    if (options.parent_pid) start_parent_monitor(*options.parent_pid);
    start_signal_waiter();
    for (;;) {
      FAILPOINT("superexec.poll");
      std::this_thread::sleep_for(kMainLoopInterval);
    }
  } catch (...) {
    die_uncaught(std::current_exception());
  }
}

}  // namespace

int superexec_main(int argc, const char* const* argv) {
  set_active_profile(superexec_profile());
  install_flower_logger(log_settings_from_env(true).settings);
  SuperexecOptions options;
  bool insecure = false;
  std::string flwr_dir, plugin_config, health;
  int parent = 0;
  CLI::App app{"Mock Flower SuperExec (the child of a SuperLink 1.26 with --isolation subprocess)",
               "flower-superexec"};
  app.add_flag("--insecure", insecure, "Accepted: the mock's AppIo connection has no TLS");
  app.add_option("--appio-api-address", options.appio_api_address, "AppIo API address");
  app.add_option("--plugin-type", options.plugin_type, "serverapp, clientapp or simulation")
      ->check(CLI::IsMember({"serverapp", "clientapp", "simulation"}));
  auto* parent_option =
      app.add_option("--parent-pid", parent, "Exit gracefully once this process is gone");
  app.add_option("--flwr-dir", flwr_dir, "Accepted, unused");
  app.add_option("--plugin-config", plugin_config, "Accepted, unused");
  app.add_option("--health-server-address", health, "Accepted, unused");
  app.add_flag("--list-failpoints", options.list_failpoints, "Print every failpoint site and exit");
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    std::cout << app.help() << std::flush;
    return 0;
  } catch (const CLI::ParseError& e) {
    write_raw_stderr(std::string("flower-superexec: error: ") + e.what() + "\n");
    return kArgparseErrorStatus;
  }
  if (options.list_failpoints) {
    if (failpoint::kSitesCompiledIn) {
      for (const auto& site : superexec_profile().superexec_sites) {
        std::cout << site.name << "  " << site.where << "\n";
      }
    }
    std::cout << std::flush;
    return 0;
  }
  if (parent_option->count() > 0) options.parent_pid = parent;
  spdlog::info("Starting Flower SuperExec");  // the real one's first line, after its arguments
  try {
    arm_from_environment();
  } catch (const std::exception& e) {
    spdlog::error("{}", e.what());
    return kUncaughtErrorStatus;
  }
  run(options);
}

}  // namespace superlink
