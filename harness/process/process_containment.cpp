#include "process_containment.h"

#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string_view>
#include <utility>

#include "process_registry.h"
#include "run_init_protocol.h"
#include "spawn_program.h"
#include "unique_fd.h"

namespace harness {

namespace {

std::runtime_error system_error(const std::string& what, int error) {
  return std::runtime_error(what + ": " + std::strerror(error));
}

// The two ends of a pipe or a socket pair, each closed when it goes unless released.
using FdPair = std::array<UniqueFd, 2>;

void hold(FdPair& pair, const int (&fds)[2]) {
  pair[0].reset(fds[0]);
  pair[1].reset(fds[1]);
}

void make_pipe(FdPair& pair) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) throw system_error("cannot create a pipe", errno);
  hold(pair, fds);
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> result;
  for (std::string& s : strings) result.push_back(s.data());
  result.push_back(nullptr);
  return result;
}

std::uint64_t clone_flags(Containment containment) {
  switch (containment) {
    case Containment::PidNamespace:
      return CLONE_NEWPID;
    case Containment::UserPidNamespace:
      return CLONE_NEWUSER | CLONE_NEWPID;
    case Containment::Subreaper:
      return 0;
  }
  return 0;
}

// Everything the child between clone3 and execve needs, prepared beforehand: it may call only
// async-signal-safe functions (it is a copy of a process that runs threads).
struct ChildPlan {
  const char* path;
  char* const* argv;
  char* const* envp;
  int dev_null;
  int out;
  int err;
  int control;
  int go;          // -1, or a pipe to wait on until the user namespace's maps are written
  int exec_error;  // errno goes here when execve fails
};

[[noreturn]] void run_child(const ChildPlan& plan) {
  if (plan.go >= 0) {
    char byte = 0;
    while (::read(plan.go, &byte, 1) < 0 && errno == EINTR) {
    }
  }
  ::setpgid(0, 0);  // out of the harness's group: a terminal's Ctrl-C is the harness's to handle
  ::dup2(plan.dev_null, STDIN_FILENO);
  ::dup2(plan.out, STDOUT_FILENO);
  ::dup2(plan.err, STDERR_FILENO);
  if (plan.control == run_init::kControlFd) {
    ::fcntl(plan.control, F_SETFD, 0);
  } else {
    ::dup2(plan.control, run_init::kControlFd);
  }
  // Signals stay blocked through execve; the run init sets its own mask and gives its target an
  // empty one.
  ::execve(plan.path, plan.argv, plan.envp);
  const int error = errno;
  static_cast<void>(::write(plan.exec_error, &error, sizeof error));
  ::_exit(127);
}

void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
  out.close();
  if (!out) throw system_error("cannot write " + path, errno);
}

// The user namespace maps this process's own uid and gid, so files keep their owner.
void map_own_ids(pid_t child) {
  const std::string proc = "/proc/" + std::to_string(child);
  write_file(proc + "/setgroups", "deny");
  write_file(proc + "/uid_map",
             std::to_string(::getuid()) + ' ' + std::to_string(::getuid()) + " 1");
  write_file(proc + "/gid_map",
             std::to_string(::getgid()) + ' ' + std::to_string(::getgid()) + " 1");
}

std::optional<Containment> forced_containment() {
  const char* value = std::getenv("SUPERLINK_CONTAINMENT");
  if (value == nullptr || *value == '\0') return std::nullopt;
  for (const Containment c :
       {Containment::PidNamespace, Containment::UserPidNamespace, Containment::Subreaper}) {
    if (containment_name(c) == value) return c;
  }
  throw std::runtime_error(std::string("SUPERLINK_CONTAINMENT: unknown mode '") + value +
                           "' (known: pid-namespace, user+pid-namespace, subreaper)");
}

// Run inits told to exit with nothing of their run left, by their pidfds (which no other child
// can come to share, unlike a pid): each is reaped by a later call, by when it has long exited
// (a zombie costs nothing meanwhile).
void reap_later(UniqueFd init) {
  static std::mutex mutex;
  static std::vector<UniqueFd> exiting;
  std::lock_guard lock(mutex);
  std::erase_if(exiting, [](const UniqueFd& pidfd) {
    siginfo_t info{};
    const int done = ::waitid(P_PIDFD, static_cast<id_t>(pidfd.get()), &info, WEXITED | WNOHANG);
    return done != 0 || info.si_pid != 0;  // reaped now, or by someone else already
  });
  if (init) exiting.push_back(std::move(init));
}

// The pid a pidfd refers to, as this process's /proc numbers it.
pid_t pidfd_pid(int pidfd) {
  std::ifstream info("/proc/self/fdinfo/" + std::to_string(pidfd));
  for (std::string line; std::getline(info, line);) {
    if (line.starts_with("Pid:")) return static_cast<pid_t>(std::atol(line.c_str() + 4));
  }
  return 0;
}

}  // namespace

ChildEnvironment child_environment(const std::map<std::string, std::string>& env) {
  ChildEnvironment entries = ChildEnvironment::inherited();
  entries.unset("FAILPOINTS");
  for (const auto& [name, value] : env) entries.set(name, value);
  return entries;
}

std::string_view containment_name(Containment containment) {
  switch (containment) {
    case Containment::PidNamespace:
      return "pid-namespace";
    case Containment::UserPidNamespace:
      return "user+pid-namespace";
    case Containment::Subreaper:
      return "subreaper";
  }
  return "?";
}

std::string run_init_binary() {
  if (const char* chosen = std::getenv("SUPERLINK_RUN_INIT"); chosen != nullptr && *chosen != 0)
    return chosen;
  // Next to superlink-harness (build/bin, or an install's bin/); a test program elsewhere that
  // links the runner library finds it on PATH.
  std::error_code ec;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const std::filesystem::path beside = self.parent_path() / "superlink-run-init";
    if (std::filesystem::exists(beside, ec)) return beside.string();
  }
  if (auto found = find_on_path("superlink-run-init")) return *found;
  return "superlink-run-init";  // the spawn error then names it
}

namespace {

// A run init started with --standby and waiting for its run: the harness's ends of its pipes
// and socket.
struct WaitingInit {
  std::string binary;
  pid_t pid = 0;
  UniqueFd pidfd;
  UniqueFd control;
  UniqueFd out;
  UniqueFd err;
  UniqueFd exec_error;  // end of file once it has exec'd; its errno if it could not
  Containment containment = Containment::Subreaper;
};

// Starts a run init, in the first containment mode the kernel allows (remembered for later
// runs), waiting for its run. Its own environment is this process's without FAILPOINTS; its
// target's comes with the run. Throws std::runtime_error.
WaitingInit start_waiting_init() {
  WaitingInit init;
  init.binary = run_init_binary();
  std::vector<std::string> init_args{init.binary, "--standby"};
  ChildEnvironment environment = child_environment({});
  std::vector<char*> argv_pointers = pointers(init_args);
  char* const* env_pointers = environment.envp();

  FdPair out;
  FdPair err;
  FdPair control;
  FdPair exec_error;
  make_pipe(out);
  make_pipe(err);
  make_pipe(exec_error);
  int control_fds[2];
  if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, control_fds) != 0) {
    throw system_error("cannot create a socket pair", errno);
  }
  hold(control, control_fds);
  const int dev_null = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (dev_null < 0) throw system_error("cannot open /dev/null", errno);
  const UniqueFd dev_null_holder(dev_null);

  static std::atomic<int> learned{-1};
  const std::optional<Containment> forced = forced_containment();
  int mode = forced ? static_cast<int>(*forced) : std::max(learned.load(), 0);
  for (;; ++mode) {
    const auto containment = static_cast<Containment>(mode);
    FdPair go;
    const bool user_namespace = containment == Containment::UserPidNamespace;
    if (user_namespace) make_pipe(go);
    const ChildPlan plan{init.binary.c_str(), argv_pointers.data(), env_pointers,     dev_null,
                         out[1].get(),        err[1].get(),         control[1].get(), go[0].get(),
                         exec_error[1].get()};
    clone_args args{};
    args.flags = CLONE_PIDFD | clone_flags(containment);
    int init_pidfd = -1;
    args.pidfd = reinterpret_cast<std::uint64_t>(&init_pidfd);
    args.exit_signal = SIGCHLD;

    // Every signal blocked on this thread: no handler of the harness may run in the child, and
    // the run init is registered before the interrupt cleanup can run here.
    sigset_t all;
    sigfillset(&all);
    sigset_t previous;
    pthread_sigmask(SIG_BLOCK, &all, &previous);
    long child;
    {
      std::lock_guard lock(process_registry_mutex());
      child = ::syscall(SYS_clone3, &args, sizeof args);
      if (child == 0) run_child(plan);
      if (child > 0) register_run_init_locked(static_cast<pid_t>(child));
    }
    pthread_sigmask(SIG_SETMASK, &previous, nullptr);
    if (child < 0) {
      const int error = errno;
      const bool refused = error == EPERM || error == EINVAL || error == ENOSPC || error == EUSERS;
      if (!forced && refused && containment != Containment::Subreaper) continue;
      throw system_error(
          "cannot start the run init (" + std::string(containment_name(containment)) + ")", error);
    }
    init.pid = static_cast<pid_t>(child);
    init.pidfd.reset(init_pidfd);
    init.containment = containment;
    if (user_namespace) {
      go[0].reset();
      try {
        map_own_ids(init.pid);
      } catch (...) {
        ::kill(init.pid, SIGKILL);  // still waiting for the go: it has done nothing
        unregister_run_init(init.pid);
        ::waitpid(init.pid, nullptr, 0);
        throw;
      }
      static_cast<void>(::write(go[1].get(), "g", 1));
      go[1].reset();
    }
    learned.store(mode);
    break;
  }
  init.out = std::move(out[0]);
  init.err = std::move(err[0]);
  init.control = std::move(control[0]);
  init.exec_error = std::move(exec_error[0]);
  return init;
}

// At most one run init started ahead of the run that takes it (prestart_run_init()).
class InitAhead {
 public:
  void start() {
    {
      std::lock_guard lock(mutex_);
      if (waiting_ || starting_) return;
      starting_ = true;
    }
    std::optional<WaitingInit> started;
    try {
      started = start_waiting_init();
    } catch (const std::exception&) {
      // The run that needs a run init starts its own, and says why it cannot.
    }
    std::lock_guard lock(mutex_);
    starting_ = false;
    if (started) waiting_ = std::move(started);
  }

  std::optional<WaitingInit> take() {
    std::lock_guard lock(mutex_);
    return std::exchange(waiting_, std::nullopt);
  }

 private:
  std::mutex mutex_;
  std::optional<WaitingInit> waiting_;
  bool starting_ = false;
};

InitAhead& init_ahead() {
  static InitAhead instance;
  return instance;
}

// The "run" message: the settling time, the folder to remove if abandoned, argv, environment.
std::string run_message(const std::vector<std::string>& argv, const ChildEnvironment& environment,
                        const ContainmentOptions& options) {
  std::string message(run_init::kRun);
  const auto field = [&message](std::string_view text) {
    message.append(text);
    message.push_back('\0');
  };
  field(std::to_string(options.settle.count()));
  field(options.remove_on_abandon);
  field(std::to_string(argv.size()));
  for (const std::string& arg : argv) field(arg);
  for (const std::string& entry : environment.entries()) field(entry);
  return message;
}

}  // namespace

void prestart_run_init() {
  init_ahead().start();
}

ContainedTarget::ContainedTarget(const std::vector<std::string>& argv,
                                 const std::map<std::string, std::string>& env,
                                 const ContainmentOptions& options) {
  if (argv.empty()) throw std::runtime_error("cannot start the target: empty command");
  reap_later(UniqueFd());  // the run inits of earlier runs
  const std::string run = run_message(argv, child_environment(env), options);
  for (bool ahead = true;; ahead = false) {
    std::optional<WaitingInit> init = ahead ? init_ahead().take() : std::nullopt;
    if (!init) {
      ahead = false;
      init = start_waiting_init();
    }
    init_pid_ = init->pid;
    init_pidfd_ = std::move(init->pidfd);
    control_ = std::move(init->control);
    containment_ = init->containment;
    const std::string& binary = init->binary;
    // Gives up this run init: it kills what it started and exits.
    const auto drop = [this] {
      unregister_run_init(init_pid_);
      control_.reset();
      ::waitpid(init_pid_, nullptr, 0);
      init_pidfd_.reset();
    };
    const auto fail = [&drop](const std::string& message) {
      drop();
      throw std::runtime_error(message);
    };
    int exec_errno = 0;
    if (::read(init->exec_error.get(), &exec_errno, sizeof exec_errno) > 0) {
      fail("cannot start the run init '" + binary + "': " + std::strerror(exec_errno));
    }
    std::optional<run_init::Message> message;
    if (run_init::send_message(control_.get(), run)) {
      message = run_init::receive_message(control_.get());
    } else if (errno == EMSGSIZE) {
      fail("cannot start '" + argv[0] + "': its arguments and environment take " +
           std::to_string(run.size()) + " bytes, more than a message to the run init holds");
    }
    if (!message) {
      // One started ahead may have been told to stop meanwhile: a fresh one gets the run.
      if (ahead) {
        drop();
        continue;
      }
      fail("the run init '" + binary + "' ended before it started the target");
    }
    if (message->text.starts_with(run_init::kFailed)) {
      const int error = std::atoi(message->text.c_str() + run_init::kFailed.size());
      fail("cannot start '" + argv[0] + "': " + std::strerror(error));
    }
    if (message->text != run_init::kStarted || !message->fd) {
      fail("the run init could not watch the target (pidfd_open)");
    }
    pidfd_ = std::move(message->fd);
    pid_ = pidfd_pid(pidfd_.get());
    stdout_fd_ = std::move(init->out);
    stderr_fd_ = std::move(init->err);
    return;
  }
}

ContainedTarget::~ContainedTarget() {
  run_init::send_message(control_.get(), run_init::kBye);
  unregister_run_init(init_pid_);
  control_.reset();  // the run init kills what is left and exits
  if (end_reported_) {
    reap_later(std::move(init_pidfd_));
  } else {
    ::waitpid(init_pid_, nullptr, 0);
    init_pidfd_.reset();
  }
  pidfd_.reset();
  stdout_fd_.reset();
  stderr_fd_.reset();
}

int ContainedTarget::take_stdout() {
  return stdout_fd_.release();
}
int ContainedTarget::take_stderr() {
  return stderr_fd_.release();
}

void ContainedTarget::signal_group(int sig) {
  run_init::send_message(control_.get(), std::string(run_init::kSignal) + std::to_string(sig));
}

TargetEnd ContainedTarget::wait_end() {
  for (;;) {
    auto message = run_init::receive_message(control_.get());
    if (!message)
      throw std::runtime_error("the run init ended before it reported the target's end");
    if (!message->text.starts_with(run_init::kEnded)) continue;
    TargetEnd end;
    std::istringstream lines(message->text.substr(run_init::kEnded.size()));
    std::string line;
    std::getline(lines, line);
    end.status = std::atoi(line.c_str());
    while (std::getline(lines, line)) end.leftovers.push_back(line);
    end_reported_ = true;
    return end;
  }
}

}  // namespace harness
