// superlink-run-init [--remove-on-abandon DIR] [--settle-ms N] -- COMMAND...: the parent of one
// run's target.
// superlink-run-init --standby: the same, started before its run is known (so that its start-up
// overlaps other work): it waits for the "run" message, which carries what the options and
// COMMAND say otherwise, and the target's environment; the end of file or SIGTERM before it
// ends it with nothing started.
// superlink-run-init --die-with-parent PPID -- COMMAND...: execs COMMAND with SIGKILL as its
// parent-death signal, so a helper of the harness (the system-call injector) cannot outlive the
// harness's thread that started it, SIGKILL of the harness included. PPID is that parent's pid:
// when it is gone before the signal was set, nothing runs.
// superlink-run-init --janitor TEMPLATE: creates the harness's folder for run folders (mkdtemp),
// removes each run folder the harness says it is done with, and removes the folder, whatever is
// in it, once the harness is gone (end of file on fd 3).
//
// The harness starts it in a PID namespace of its own where it can (it is then pid 1: when it
// dies, the kernel kills every process of the namespace), or else as a child subreaper (every
// orphan of the run is handed to it). Either way each process the run starts stays below it, so
// it alone decides what belongs to the run. It spawns COMMAND as its child (in a process group
// of its own, with normal signal semantics, which pid 1 would not have), reaps orphans, reports
// the target's end and the processes still alive N ms after it (they are given that long to end
// by themselves, and the report comes as soon as none is left), and when the harness goes away (end
// of file on fd 3, or SIGTERM: the harness's interrupt cleanup, or the parent-death signal of
// one started with its command) kills everything of the run and removes DIR. The harness starts
// every run init with --standby, most of them ahead of their run. Protocol:
// harness/process/run_init_protocol.h.
#include <fcntl.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "process_table.h"
#include "run_init_protocol.h"
#include "spawn_program.h"
#include "unique_fd.h"

namespace {

using namespace harness;
using namespace harness::run_init;

constexpr int kControl = kControlFd;
// A run's argv and environment: what execve would take (ARG_MAX, 2 MiB by default) and more.
constexpr std::size_t kMaxRunBytes = 4 * 1024 * 1024;
using Clock = std::chrono::steady_clock;

struct Options {
  std::string janitor_template;
  pid_t die_with_parent = 0;
  bool standby = false;
  std::string remove_on_abandon;
  int settle_ms = 0;
  std::vector<std::string> command;
  std::vector<std::string> environment;  // the target's; empty: this process's own
};

// CLI11 reads "1.5" or "abc" as out of range; this says what is wrong with it.
CLI::Validator whole_number_from(int least) {
  return CLI::Validator(
      [least](const std::string& text) -> std::string {
        int value = 0;
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (error == std::errc() && end == text.data() + text.size() && value >= least) return "";
        return "'" + text + "' is not a whole number from " + std::to_string(least) + " to " +
               std::to_string(std::numeric_limits<int>::max());
      },
      "N");
}

// A bad argument ends the process with status 2 and CLI11's message, which names the option.
Options parse(int argc, char** argv) {
  Options options;
  CLI::App app{"The parent of one run's target (started by superlink-harness for each run)",
               "superlink-run-init"};
  const char* const usage =
      "usage: superlink-run-init [--remove-on-abandon DIR] [--settle-ms N] -- COMMAND...\n"
      "       superlink-run-init --standby\n"
      "       superlink-run-init --die-with-parent PPID -- COMMAND...\n"
      "       superlink-run-init --janitor TEMPLATE\n";
  auto* janitor = app.add_option("--janitor", options.janitor_template,
                                 "create this mkdtemp folder; remove it once fd 3 ends");
  app.add_option("--die-with-parent", options.die_with_parent,
                 "exec COMMAND with SIGKILL as its parent-death signal; the parent's pid")
      ->check(whole_number_from(1))
      ->excludes(janitor);
  app.add_option("--remove-on-abandon", options.remove_on_abandon,
                 "remove this folder when the harness goes away")
      ->excludes(janitor);
  app.add_option("--settle-ms", options.settle_ms,
                 "how long the run's other processes may live on after the target")
      ->check(whole_number_from(0))
      ->excludes(janitor);
  auto* command =
      app.add_option("COMMAND", options.command, "the target and its arguments, after --")
          ->excludes(janitor);
  app.add_flag("--standby", options.standby,
               "wait for the run (its command and environment) on fd 3")
      ->excludes(janitor)
      ->excludes(command);
  try {
    app.parse(argc, argv);
    if (options.command.empty() && options.janitor_template.empty() && !options.standby) {
      throw CLI::RequiredError("COMMAND (after --), --standby or --janitor");
    }
  } catch (const CLI::CallForHelp&) {
    std::fputs(app.help().c_str(), stdout);
    std::exit(0);
  } catch (const CLI::ParseError& error) {
    std::fprintf(stderr, "superlink-run-init: %s\n%s", error.what(), usage);
    std::exit(2);
  }
  return options;
}

// This process's pid as /proc numbers it: the host's view, also from inside the namespace.
pid_t proc_pid() {
  std::error_code ignored;
  const std::string self = std::filesystem::read_symlink("/proc/self", ignored).string();
  return self.empty() ? ::getpid() : static_cast<pid_t>(std::atol(self.c_str()));
}

void remove_until_gone(const std::string& folder);

class RunInit {
 public:
  explicit RunInit(Options options)
      : options_(std::move(options)), in_namespace_(::getpid() == 1), self_(proc_pid()) {}

  int main() {
    ::fcntl(kControl, F_SETFD, FD_CLOEXEC);
    // Our own signals arrive through a descriptor; none of them may end us by surprise.
    sigset_t watched;
    sigemptyset(&watched);
    for (const int sig : {SIGCHLD, SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGPIPE}) {
      sigaddset(&watched, sig);
    }
    ::sigprocmask(SIG_BLOCK, &watched, nullptr);
    signals_ = ::signalfd(-1, &watched, SFD_CLOEXEC | SFD_NONBLOCK);
    if (!in_namespace_) ::prctl(PR_SET_CHILD_SUBREAPER, 1);
    // A standby serves whichever thread of the harness takes it, and a parent-death signal names
    // the thread that started it, which may end first: for it the end of file on fd 3 alone
    // says that the harness is gone (every descriptor of a dead process is closed).
    if (!options_.standby) ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (options_.standby && !wait_for_run()) return 0;

    SpawnRequest request;  // stdin is /dev/null already (the harness's doing)
    request.argv = options_.command;
    std::vector<char*> environment;
    if (!options_.environment.empty()) {
      for (std::string& entry : options_.environment) environment.push_back(entry.data());
      environment.push_back(nullptr);
      request.envp = environment.data();
    }
    target_ = spawn(request);
    if (target_ < 0) {
      send_message(kControl, std::string(kFailed) + std::to_string(-target_));
      return 0;
    }
    // The pipes are the target's alone from now on: the harness sees their end when the run's
    // last process closes them.
    {
      const UniqueFd dev_null(::open("/dev/null", O_RDWR | O_CLOEXEC));
      ::dup2(dev_null.get(), STDOUT_FILENO);
      ::dup2(dev_null.get(), STDERR_FILENO);
    }
    {
      const UniqueFd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, target_, 0)));
      send_message(kControl, kStarted, pidfd.get());
    }

    for (;;) {
      pollfd watch[2] = {{kControl, POLLIN, 0}, {signals_, POLLIN, 0}};
      const int ready = ::poll(watch, 2, settle_timeout_ms());
      if (ready < 0) {
        if (errno == EINTR) continue;
        abandon();
      }
      if (watch[1].revents != 0) on_signals();
      if (watch[0].revents != 0) on_control();
      if (settling_ && Clock::now() >= settle_until_) report_end();
    }
  }

 private:
  // A standby's wait: true once the run has come (into options_); false when the harness is gone
  // (end of file) or says stop (SIGTERM, SIGHUP) before it.
  bool wait_for_run() {
    for (;;) {
      pollfd watch[2] = {{kControl, POLLIN, 0}, {signals_, POLLIN, 0}};
      if (::poll(watch, 2, -1) < 0) {
        if (errno == EINTR) continue;
        return false;
      }
      if (watch[1].revents != 0) {
        signalfd_siginfo info{};
        while (::read(signals_, &info, sizeof info) == static_cast<ssize_t>(sizeof info)) {
          if (info.ssi_signo == SIGTERM || info.ssi_signo == SIGHUP) return false;
        }
      }
      if (watch[0].revents == 0) continue;
      const auto message = receive_message(kControl, kMaxRunBytes);
      if (!message) return false;
      if (message->text.starts_with(kRun) && read_run(message->text.substr(kRun.size()))) {
        return true;
      }
    }
  }

  // "SETTLE_MS\0DIR\0ARGC\0ARG...\0ENV..." (each field ends with \0) into options_.
  bool read_run(std::string_view fields) {
    std::vector<std::string> parts;
    while (!fields.empty()) {
      const auto end = fields.find('\0');
      if (end == std::string_view::npos) return false;
      parts.emplace_back(fields.substr(0, end));
      fields.remove_prefix(end + 1);
    }
    if (parts.size() < 3) return false;
    const int settle = std::atoi(parts[0].c_str());
    const std::size_t argc = static_cast<std::size_t>(std::atol(parts[2].c_str()));
    if (settle < 0 || argc == 0 || parts.size() < 3 + argc) return false;
    options_.settle_ms = settle;
    options_.remove_on_abandon = parts[1];
    options_.command.assign(parts.begin() + 3, parts.begin() + 3 + static_cast<long>(argc));
    options_.environment.assign(parts.begin() + 3 + static_cast<long>(argc), parts.end());
    return true;
  }

  void on_signals() {
    signalfd_siginfo info{};
    bool child = false;
    while (::read(signals_, &info, sizeof info) == static_cast<ssize_t>(sizeof info)) {
      if (info.ssi_signo == SIGCHLD) {
        child = true;
      } else if (info.ssi_signo == SIGTERM || info.ssi_signo == SIGHUP) {
        abandon();
      }
      // SIGINT, SIGQUIT, SIGPIPE: a terminal's or a pipe's business, not ours.
    }
    if (child) reap();
  }

  void on_control() {
    const auto message = receive_message(kControl);
    if (!message) abandon();  // a descriptor passed along is closed with the message
    const std::string_view text = message->text;
    if (text == kBye) {
      kill_everything();
      std::exit(0);
    }
    if (text.starts_with(kSignal) && target_ > 0) {
      // The whole group, as a terminal would; a target that left its group gets it alone.
      const int sig = std::atoi(message->text.c_str() + kSignal.size());
      if (::kill(-target_, sig) != 0) ::kill(target_, sig);
    }
  }

  // Reaps every child that has ended. The target's end starts the settling; once nothing of the
  // run is left (every chain of the run's processes starts at a child of ours, so each last end
  // is a SIGCHLD here), the end is reported.
  void reap() {
    bool no_children = false;
    for (;;) {
      siginfo_t info{};
      if (::waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) != 0) {
        no_children = errno == ECHILD;
        break;
      }
      if (info.si_pid == 0) break;
      if (info.si_pid == target_) {
        ::waitpid(target_, &target_status_, 0);
        target_ = 0;
        settling_ = true;
        settle_until_ = Clock::now() + std::chrono::milliseconds(options_.settle_ms);
        continue;
      }
      ::waitpid(info.si_pid, nullptr, 0);
    }
    // No child left means nothing of the run is left: every process of the run descends from a
    // child of ours, and an orphan is handed to us (pid 1, or the subreaper). Then there is no
    // process table to read: the end is reported the moment the last process is reaped.
    if (settling_ && no_children) {
      report_end(/*nothing_left=*/true);
    } else if (settling_ && alive().empty()) {
      report_end();
    }
  }

  // What of the run is alive: every process below us but zombies (orphans not reaped yet).
  std::vector<ProcessEntry> alive() const {
    std::vector<ProcessEntry> out;
    for (const ProcessEntry& entry : descendants(process_table(), self_)) {
      if (entry.state != 'Z') out.push_back(entry);
    }
    return out;
  }

  // The settling is over: list what is still alive, kill it, and tell the harness.
  void report_end(bool nothing_left = false) {
    settling_ = false;
    std::string report;
    if (!nothing_left) {
      for (const ProcessEntry& entry : alive()) report += '\n' + describe(entry);
      kill_everything();
    }
    send_message(kControl, std::string(kEnded) + std::to_string(target_status_) + report);
  }

  int settle_timeout_ms() const {
    if (!settling_) return -1;
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(settle_until_ - Clock::now());
    return static_cast<int>(std::max<std::chrono::milliseconds::rep>(0, left.count()));
  }

  // Kills every process below this one and reaps them, round after round: the children of the
  // killed are handed to us (pid 1, or the subreaper) and found by the next round.
  void kill_everything() {
    for (;;) {
      if (in_namespace_) {
        ::kill(-1, SIGKILL);  // every process of the namespace but us
      } else {
        for (const ProcessEntry& entry : process_table()) {
          if (entry.ppid == self_ && entry.state != 'Z') ::kill(entry.pid, SIGKILL);
        }
      }
      if (::waitpid(-1, nullptr, 0) < 0 && errno == ECHILD) break;
    }
    target_ = 0;
  }

  [[noreturn]] void abandon() {
    kill_everything();
    if (!options_.remove_on_abandon.empty()) remove_until_gone(options_.remove_on_abandon);
    std::exit(0);
  }

  Options options_;  // a standby's run is filled in when it comes
  const bool in_namespace_;
  const pid_t self_;
  int signals_ = -1;
  pid_t target_ = 0;  // as spawn() returned it (inside the namespace); 0 once reaped
  int target_status_ = 0;
  bool settling_ = false;  // the target has ended, its end not reported yet
  Clock::time_point settle_until_;
};

// Removes `folder` until it is gone: a process of a run killed a moment ago may still add a file.
void remove_until_gone(const std::string& folder) {
  for (int attempt = 0; attempt < 1000; ++attempt) {
    std::error_code error;
    std::filesystem::remove_all(folder, error);
    if (!std::filesystem::exists(folder, error)) return;
  }
}

// The folder exists only once this process does, so no death of the harness can leave it.
int janitor(std::string folder_template) {
  ::fcntl(kControl, F_SETFD, FD_CLOEXEC);
  sigset_t ignored;
  sigemptyset(&ignored);
  for (const int sig : {SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGPIPE}) sigaddset(&ignored, sig);
  ::sigprocmask(SIG_BLOCK, &ignored, nullptr);  // only the end of file ends it
  if (::mkdtemp(folder_template.data()) == nullptr) {
    send_message(kControl, std::string(kFailed) + std::to_string(errno));
    return 1;
  }
  send_message(kControl, std::string(kFolder) + folder_template);
  // Until the end of file: a run folder the harness is done with, by its name in the folder (a
  // name that leaves the folder is ignored); a descriptor passed along is closed with its
  // message.
  while (const auto message = receive_message(kControl)) {
    const std::string_view text = message->text;
    if (!text.starts_with(kRemove)) continue;
    const std::string_view name = text.substr(kRemove.size());
    if (name.empty() || name == "." || name == ".." || name.find('/') != std::string_view::npos) {
      continue;
    }
    remove_until_gone(folder_template + "/" + std::string(name));
  }
  remove_until_gone(folder_template);
  return 0;
}

}  // namespace

// Execs the command bound to its parent's life; returns only on failure (127, as a shell).
int exec_with_parent_death(const Options& options) {
  if (::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || ::getppid() != options.die_with_parent) {
    return 1;  // the parent died first (we were handed to a reaper): nothing to serve
  }
  std::vector<char*> argv;
  for (const std::string& arg : options.command) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  ::execvp(argv[0], argv.data());
  std::fprintf(stderr, "superlink-run-init: cannot run '%s': %s\n", argv[0], std::strerror(errno));
  return 127;
}

int main(int argc, char** argv) {
  Options options = parse(argc, argv);
  if (!options.janitor_template.empty()) return janitor(options.janitor_template);
  if (options.die_with_parent > 0) return exec_with_parent_death(options);
  return RunInit(std::move(options)).main();
}
