#include "syscall_injection.h"

#include <fcntl.h>
#include <poll.h>
#include <re2/re2.h>
#include <sys/eventfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <utility>

#include "harness/signal_name.h"
#include "loader/substitutions.h"
#include "process_containment.h"
#include "scenario/scenario_requirements.h"
#include "scenario/syscall_names.h"
#include "spawn_program.h"
#include "strace_output.h"
#include "target_threads.h"
#include "unique_fd.h"

namespace harness {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// How long a thread found by what it does may take to show itself (the scheduler reads the
// state file every tick; uvicorn's loop wakes every 0.1 s), and the injector to attach: both
// come in milliseconds, but starting strace -f on a loaded 2-core machine has taken seconds.
// Either wait is bounded by the run's deadline too.
constexpr milliseconds kFindPatience{10000};
constexpr milliseconds kAttachPatience{10000};
// How long the injector may take to detach once asked before it is killed (the kernel then
// detaches the target's threads itself).
constexpr milliseconds kDetachPatience{2000};
constexpr std::size_t kLineLimit = 64 * 1024;

std::int64_t clock_ns(clockid_t clock) {
  timespec now{};
  ::clock_gettime(clock, &now);
  return static_cast<std::int64_t>(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
}

int millis_until(Clock::time_point when) {
  const auto left = std::chrono::ceil<milliseconds>(when - Clock::now()).count();
  return left <= 0 ? 0 : static_cast<int>(std::min<long long>(left, 60'000));
}

std::string joined(const std::vector<std::string>& words, std::string_view separator) {
  std::string text;
  for (const std::string& word : words) {
    if (!text.empty()) text += separator;
    text += word;
  }
  return text;
}

std::vector<std::string> expanded_calls(const SyscallFault& fault) {
  std::vector<std::string> calls;
  for (const std::string& name : fault.calls) {
    for (std::string& call : syscall_family(name)) {
      if (std::find(calls.begin(), calls.end(), call) == calls.end()) calls.push_back(call);
    }
  }
  return calls;
}

std::string ordinal(int n) {
  const int tens = n % 100;
  const char* suffix = (tens >= 11 && tens <= 13) ? "th"
                       : n % 10 == 1              ? "st"
                       : n % 10 == 2              ? "nd"
                       : n % 10 == 3              ? "rd"
                                                  : "th";
  return std::to_string(n) + suffix;
}

std::string effect_task(const SyscallFault& fault) {
  return fault.error ? "error" : fault.retval ? "retval" : fault.delay ? "delay" : "signal";
}

// One strace process, started by `superlink-run-init --die-with-parent` (its parent-death
// signal follows the calling thread), its output read line by line.
class Strace {
 public:
  Strace(const std::string& binary, const std::vector<std::string>& args) {
    int pipe_fds[2];
    if (::pipe2(pipe_fds, O_CLOEXEC) != 0) throw std::runtime_error("cannot make a pipe");
    UniqueFd reader(pipe_fds[0]);
    UniqueFd writer(pipe_fds[1]);
    SpawnRequest request;
    request.argv = {run_init_binary(), "--die-with-parent", std::to_string(::getpid()), "--",
                    binary};
    request.argv.insert(request.argv.end(), args.begin(), args.end());
    UniqueFd null_input(::open("/dev/null", O_RDONLY | O_CLOEXEC));
    request.stdin_fd = null_input.get();
    request.stdout_fd = writer.get();
    request.stderr_fd = writer.get();
    const pid_t pid = spawn(request);
    writer.reset();
    null_input.reset();
    if (pid < 0) {
      throw std::runtime_error("cannot start " + request.argv.front() + ": " +
                               std::strerror(static_cast<int>(-pid)));
    }
    pid_ = pid;
    fd_ = std::move(reader);
  }
  ~Strace() { stop({}); }
  Strace(const Strace&) = delete;
  Strace& operator=(const Strace&) = delete;

  pid_t pid() const { return pid_; }
  bool ended() const { return eof_; }

  // The next line, waiting until `until` or until `wake_fd` is readable; nullopt then, or at
  // the end of the output (ended()).
  std::optional<std::string> next_line(Clock::time_point until, int wake_fd) {
    for (;;) {
      if (auto line = take_line()) return line;
      if (eof_) {
        if (buffer_.empty()) return std::nullopt;
        return std::exchange(buffer_, {});
      }
      pollfd watch[2] = {{fd_.get(), POLLIN, 0}, {wake_fd, POLLIN, 0}};
      const int ready = ::poll(watch, 2, millis_until(until));
      if (ready < 0 && errno == EINTR) continue;
      if (ready <= 0 || watch[1].revents != 0) return std::nullopt;
      char chunk[4096];
      const ssize_t n = ::read(fd_.get(), chunk, sizeof chunk);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        eof_ = true;
        continue;
      }
      buffer_.append(chunk, static_cast<std::size_t>(n));
    }
  }

  // Asks strace to detach (SIGTERM; the target's threads go on) and reaps it; SIGKILL when it
  // takes longer than kDetachPatience. What it prints meanwhile goes to `sink`.
  void stop(const std::function<void(std::string_view)>& sink) {
    if (reaped_) return;
    ::kill(pid_, SIGTERM);
    const Clock::time_point until = Clock::now() + kDetachPatience;
    while (!eof_ && Clock::now() < until) {
      if (auto line = next_line(until, -1); line && sink) sink(*line);
    }
    if (!eof_) ::kill(pid_, SIGKILL);
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    reaped_ = true;
  }

 private:
  std::optional<std::string> take_line() {
    const std::size_t end = buffer_.find('\n');
    if (end == std::string::npos) {
      if (buffer_.size() < kLineLimit) return std::nullopt;
      return std::exchange(buffer_, {});  // a line past the limit is cut, never held whole
    }
    std::string line = buffer_.substr(0, end);
    buffer_.erase(0, end + 1);
    return line;
  }

  pid_t pid_ = -1;
  UniqueFd fd_;
  std::string buffer_;
  bool eof_ = false;
  bool reaped_ = false;
};

// The first thread that `pick` accepts a call of, watching every thread of `pid` with strace
// `args`, within kFindPatience and the run's deadline; 0 when none showed itself.
pid_t watch_for_thread(const std::string& binary, pid_t pid, std::vector<std::string> args,
                       const SyscallContext& context,
                       const std::function<bool(const StraceLine&)>& pick, std::string& failure) {
  args.insert(args.begin(), {"-f", "-qq", "-ttt", "-p", std::to_string(pid)});
  Strace finder(binary, args);
  const Clock::time_point until = std::min(context.deadline, Clock::now() + kFindPatience);
  while (auto line = finder.next_line(until, context.cancel_fd)) {
    const auto parsed = parse_strace_line(*line);
    if (!parsed) continue;
    if (parsed->kind == StraceLine::Kind::Message && failure.empty()) failure = parsed->text;
    if (parsed->kind == StraceLine::Kind::Call && pick(*parsed)) {
      return parsed->tid != 0 ? static_cast<pid_t>(parsed->tid) : pid;
    }
  }
  return 0;
}

bool ptrace_refused(std::string_view message) {
  return message.find("Operation not permitted") != std::string_view::npos;
}

std::string thread_names(pid_t pid) {
  std::vector<std::string> names;
  for (const TargetThread& thread : threads_of(pid)) names.push_back(thread.name);
  return joined(names, ", ");
}

}  // namespace

std::string syscall_injector() {
  if (const char* chosen = std::getenv("SUPERLINK_STRACE"); chosen != nullptr && *chosen != 0) {
    return ::access(chosen, X_OK) == 0 ? chosen : "";
  }
  return find_on_path("strace").value_or("");
}

std::optional<std::string> missing_capability(const Scenario& scenario) {
  if (requires_capability(scenario, kRequiresSyscallFaults) && syscall_injector().empty()) {
    return "requires syscall-faults; no system-call injector here (strace is not on PATH, and "
           "SUPERLINK_STRACE names none)";
  }
  return std::nullopt;
}

std::vector<std::string> injection_arguments(const SyscallFault& fault, const std::string& path) {
  const std::string calls = joined(expanded_calls(fault), ",");
  std::string effect;
  if (fault.error) effect = "error=" + *fault.error;
  if (fault.retval) effect = "retval=" + std::to_string(*fault.retval);
  // Held on its way out (delay_exit): strace prints the call, the evidence, before the wait.
  if (fault.delay) effect = "delay_exit=" + std::to_string(fault.delay->count()) + "ms";
  if (fault.signal) effect = "signal=" + signal_name(*fault.signal);
  std::string when = std::to_string(fault.nth);
  if (!fault.count) {
    when += "+";
  } else if (*fault.count > 1) {
    when += ".." + std::to_string(fault.nth + *fault.count - 1);
  }
  std::vector<std::string> args{"-e", "trace=" + calls, "-e",
                                "inject=" + calls + ":" + effect + ":when=" + when};
  if (!path.empty()) args.insert(args.end(), {"-P", path});
  return args;
}

struct SyscallInjection::Placement {
  bool follow = false;  // every thread of tids_[0]'s process, those it starts later included
  std::string described;
  std::string error;
  bool unsupported = false;
};

SyscallInjection::SyscallInjection(const SyscallFault& fault, SyscallContext context,
                                   SyscallJournal journal, EventOutcome& outcome)
    : fault_(fault),
      context_(std::move(context)),
      journal_(std::move(journal)),
      path_(substitute(fault.path, context_.substitutions)),
      stop_fd_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
  role_ = syscall_thread_name(fault_);
  const auto not_done = [&](std::string why, bool unsupported) {
    outcome.error = std::move(why);
    outcome.unsent = true;
    outcome.unsupported = unsupported;
    settled_ = true;  // nothing to settle: the event was never done
  };
  const std::string binary = syscall_injector();
  if (binary.empty()) {
    not_done(
        "no system-call injector: strace is not on PATH (install Debian's strace, or point "
        "SUPERLINK_STRACE at one)",
        true);
    return;
  }
  Placement placement;
  try {
    find_threads(placement);
  } catch (const std::exception& error) {
    placement.error = error.what();
  }
  if (!placement.error.empty()) {
    not_done(placement.error, placement.unsupported);
    return;
  }

  std::vector<std::string> argv{"-ttt"};
  if (placement.follow) argv.emplace_back("-f");
  for (pid_t tid : tids_) argv.insert(argv.end(), {"-p", std::to_string(tid)});
  for (std::string& arg : injection_arguments(fault_, path_)) argv.push_back(std::move(arg));
  thread_ = std::thread([this, binary, argv = std::move(argv)] { inject(binary, argv); });

  std::unique_lock lock(mutex_);
  const Clock::time_point until = std::min(context_.deadline, Clock::now() + kAttachPatience);
  changed_.wait_until(lock, until, [&] { return attached_ || ended_; });
  if (!attached_) {
    const std::string why =
        !failure_.empty() ? "the injector could not attach: " + failure_
                          : "the injector did not attach to " + placement.described + " in time";
    const bool refused = ptrace_refused(failure_);
    lock.unlock();
    not_done(why + (refused ? " (ptrace refused: the harness needs CAP_SYS_PTRACE, or "
                              "kernel.yama.ptrace_scope = 0)"
                            : ""),
             refused);
    return;
  }
  std::string where = fault_.path.empty() ? "" : " on " + path_;
  outcome.did = "strace attached to " + placement.described + ": " + joined(fault_.calls, "/") +
                where + " " + syscall_effect_name(fault_) + " from the " + ordinal(fault_.nth) +
                " call" +
                (!fault_.count        ? " on"
                 : *fault_.count == 1 ? ""
                                      : ", " + std::to_string(*fault_.count) + " calls");
}

SyscallInjection::~SyscallInjection() {
  if (stop_fd_) {
    const std::uint64_t one = 1;
    [[maybe_unused]] const ssize_t written = ::write(stop_fd_.get(), &one, sizeof one);
  }
  if (thread_.joinable()) thread_.join();
}

void SyscallInjection::find_threads(Placement& placement) {
  const std::vector<pid_t> processes = run_processes(context_.target);
  if (fault_.thread == SyscallFault::Thread::Any) {
    tids_ = {context_.target};
    placement.follow = true;
    placement.described = "every thread of pid " + std::to_string(context_.target);
    return;
  }
  // By OS name: the mock names its critical threads; `{ name = REGEX }` names them itself.
  const RE2 pattern(fault_.thread_name);
  for (pid_t pid : processes) {
    for (const TargetThread& thread : threads_of(pid)) {
      const bool named = fault_.thread == SyscallFault::Thread::Named
                             ? RE2::PartialMatch(thread.name, pattern)
                             : thread.name == role_;
      if (named) tids_.push_back(thread.tid);
    }
  }
  if (!tids_.empty()) {
    placement.described =
        (tids_.size() == 1 ? "thread " + std::to_string(tids_.front())
                           : std::to_string(tids_.size()) + " threads") +
        (fault_.thread == SyscallFault::Thread::Named ? " named like " + role_
                                                      : " '" + role_ + "' (by its OS name)");
    return;
  }
  const std::string binary = syscall_injector();
  const std::string target = "pid " + std::to_string(context_.target);
  if (fault_.thread == SyscallFault::Thread::Named) {
    placement.error = "no thread of " + target + " or its children has an OS name matching " +
                      role_ + " (its threads: " + thread_names(context_.target) + ")";
    return;
  }
  std::string failure;
  if (fault_.thread == SyscallFault::Thread::Scheduler) {
    // The scheduler is the thread that reads the state database while no request comes.
    const std::string database =
        path_.empty()
            ? context_.substitutions.count("database") ? context_.substitutions.at("database") : ""
            : path_;
    if (database.empty() || ::access(database.c_str(), F_OK) != 0) {
      placement.error =
          "cannot find the scheduler thread: no thread of " + target +
          " is named 'scheduler', and the run has no database file to see which thread reads it "
          "(set superlink.database = \"file\")";
      return;
    }
    const auto holder = std::find_if(processes.begin(), processes.end(),
                                     [&](pid_t pid) { return holds_open(pid, database); });
    if (holder == processes.end()) {
      placement.error = "cannot find the scheduler thread: no thread of " + target +
                        " is named 'scheduler', and no process of the run has " + database +
                        " open";
      return;
    }
    const pid_t tid = watch_for_thread(
        binary, *holder, {"-P", database}, context_, [](const StraceLine&) { return true; },
        failure);
    if (tid == 0) {
      placement.error = failure.empty()
                            ? "cannot find the scheduler thread: no thread of pid " +
                                  std::to_string(*holder) + " touched " + database + " within " +
                                  std::to_string(kFindPatience.count()) +
                                  " ms (a SuperLink without a scheduler thread, like Flower 1.21 "
                                  "and later, has none)"
                            : "cannot watch pid " + std::to_string(*holder) + ": " + failure;
      placement.unsupported = ptrace_refused(failure);
      return;
    }
    tids_ = {tid};
    placement.described =
        "thread " + std::to_string(tid) + " 'scheduler' (the one reading " + database + ")";
    return;
  }
  // The REST thread is the one whose event loop waits on the Fleet listener.
  const auto fleet = context_.addresses.find("fleet");
  const std::size_t colon =
      fleet == context_.addresses.end() ? std::string::npos : fleet->second.rfind(':');
  if (colon == std::string::npos) {
    placement.error = "cannot find the rest thread: the target serves no Fleet API";
    return;
  }
  const int port = std::atoi(fleet->second.c_str() + colon + 1);
  for (pid_t pid : processes) {
    const int listener = listening_descriptor(pid, port);
    if (listener < 0) continue;
    const std::vector<int> loops = epoll_descriptors_watching(pid, listener);
    if (loops.empty()) {
      placement.error = "cannot find the rest thread: no epoll instance of pid " +
                        std::to_string(pid) + " watches its Fleet listener (fd " +
                        std::to_string(listener) + ")";
      return;
    }
    const pid_t tid = watch_for_thread(
        binary, pid, {"-e", "trace=epoll_wait,epoll_pwait,epoll_pwait2"}, context_,
        [&](const StraceLine& line) {
          return std::find(loops.begin(), loops.end(), std::atoi(line.first_argument.c_str())) !=
                 loops.end();
        },
        failure);
    if (tid == 0) {
      placement.error =
          failure.empty() ? "cannot find the rest thread: no thread of pid " + std::to_string(pid) +
                                " waited on its Fleet " + "listener's epoll instance within " +
                                std::to_string(kFindPatience.count()) + " ms"
                          : "cannot watch pid " + std::to_string(pid) + ": " + failure;
      placement.unsupported = ptrace_refused(failure);
      return;
    }
    tids_ = {tid};
    placement.described = "thread " + std::to_string(tid) +
                          " 'rest' (the one waiting on the Fleet listener " + fleet->second + ")";
    return;
  }
  placement.error = "cannot find the rest thread: no thread of " + target +
                    " is named 'rest', and no process of the run listens on " + fleet->second;
}

void SyscallInjection::inject(const std::string& binary, const std::vector<std::string>& argv) {
  std::optional<Strace> strace;
  try {
    strace.emplace(binary, argv);
  } catch (const std::exception& error) {
    std::lock_guard lock(mutex_);
    failure_ = error.what();
    ended_ = true;
    changed_.notify_all();
    return;
  }
  {
    std::lock_guard lock(mutex_);
    injector_ = strace->pid();
  }
  while (auto line = strace->next_line(Clock::time_point::max(), stop_fd_.get())) on_line(*line);
  strace->stop([this](std::string_view line) { on_line(line); });
  std::lock_guard lock(mutex_);
  ended_ = true;
  changed_.notify_all();
}

void SyscallInjection::on_line(std::string_view text) {
  const auto line = parse_strace_line(text);
  if (!line) return;
  std::unique_lock lock(mutex_);
  using Kind = StraceLine::Kind;
  switch (line->kind) {
    case Kind::Attached:
      ++attach_count_;
      attached_ = attach_count_ >= tids_.size();
      changed_.notify_all();
      return;
    case Kind::Message:
      if (failure_.empty() && !attached_) failure_ = line->text;
      return;
    case Kind::Call:
      ++calls_seen_;
      break;
    default:
      break;
  }
  const bool signalled = fault_.signal && line->kind == Kind::Signal &&
                         line->signal == signal_name(*fault_.signal) &&
                         line->text.find("SI_KERNEL") != std::string::npos;
  if (!(line->injected || line->delayed || signalled)) return;
  ++injected_;
  lock.unlock();
  // strace's wall-clock time of the call, placed on CLOCK_MONOTONIC as the journal wants it.
  const std::int64_t now_mono = clock_ns(CLOCK_MONOTONIC);
  const std::int64_t now_wall = clock_ns(CLOCK_REALTIME);
  const auto call_wall = static_cast<std::int64_t>(line->seconds * 1e9);
  const std::int64_t mono =
      line->seconds > 0 ? now_mono - std::max<std::int64_t>(0, now_wall - call_wall) : now_mono;
  const long tid = line->tid != 0 ? line->tid : tids_.front();
  const std::string call = line->call.empty() ? joined(fault_.calls, "/") : line->call;
  if (journal_)
    journal_(effect_task(fault_), call + " " + syscall_effect_name(fault_),
             role_ + " " + std::to_string(tid), mono);
}

void SyscallInjection::settle(EventOutcome& outcome) {
  if (settled_.exchange(true)) return;
  if (stop_fd_) {
    const std::uint64_t one = 1;
    [[maybe_unused]] const ssize_t written = ::write(stop_fd_.get(), &one, sizeof one);
  }
  if (thread_.joinable()) thread_.join();
  std::lock_guard lock(mutex_);
  if (injected_ > 0) {
    outcome.did +=
        "; injected " + std::to_string(injected_) + (injected_ == 1 ? " time" : " times");
    return;
  }
  if (!outcome.error.empty()) return;
  outcome.unsent = true;
  outcome.error =
      "never injected: " + std::to_string(calls_seen_) + " matching " +
      (calls_seen_ == 1 ? "call" : "calls") + " (" + joined(fault_.calls, "/") +
      (fault_.path.empty() ? "" : " on " + path_) + ") seen in the traced " +
      (tids_.size() == 1 && fault_.thread != SyscallFault::Thread::Any ? "thread" : "threads") +
      "; the " + ordinal(fault_.nth) + " never came";
}

}  // namespace harness
