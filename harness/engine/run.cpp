// run_scenario: one target, from spawn to the last byte of its output, on one single-threaded
// io_context (events run on a thread of their own, see events_runner.h).
#include "harness/run.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <re2/re2.h>
#include <sys/inotify.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <array>
#include <boost/asio/buffer.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <set>
#include <system_error>
#include <vector>

#include "events_runner.h"
#include "faults/directory_watcher.h"
#include "harness/line_match.h"
#include "journal_reader.h"
#include "output_capture.h"
#include "process_containment.h"
#include "process_janitor.h"
#include "process_registry.h"
#include "ready_file.h"
#include "run_ports.h"
#include "target_command.h"
#include "unique_fd.h"

namespace harness {

namespace {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;
using asio::posix::stream_descriptor;

// What of a run may end by itself after the target (ContainmentOptions::settle).
constexpr std::chrono::milliseconds kLeftoverSettle{1000};

std::int64_t mono_ns() {
  timespec now{};
  ::clock_gettime(CLOCK_MONOTONIC, &now);
  return static_cast<std::int64_t>(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
}

// The run's directory: the given one, or a fresh temp dir removed at the end.
class WorkDir {
 public:
  explicit WorkDir(const std::string& given) {
    if (!given.empty()) {
      path_ = given;
      std::filesystem::create_directories(path_);
      // Stale files of an earlier run would fake readiness or firings.
      std::filesystem::remove(path_ + "/ready.json");
      std::filesystem::remove(path_ + "/journal.jsonl");
      std::filesystem::remove(database_path(path_));
      return;
    }
    std::string pattern = run_folders_parent() + "/run-XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr) {
      throw std::runtime_error("cannot create a work directory in " + pattern + ": " +
                               std::strerror(errno));
    }
    path_ = pattern;
    owned_ = true;
    register_run_folder(path_);
  }
  ~WorkDir() {
    if (!owned_) return;
    remove_run_folder(path_);  // by the janitor, while the next run starts
    unregister_run_folder(path_);
  }
  WorkDir(const WorkDir&) = delete;
  WorkDir& operator=(const WorkDir&) = delete;
  const std::string& path() const { return path_; }
  // What the run init removes if the harness dies mid-run: only a folder the run created.
  std::string remove_on_abandon() const { return owned_ ? path_ : std::string(); }

 private:
  std::string path_;
  bool owned_ = false;
};

class Run {
 public:
  Run(const Scenario& scenario, const RunOptions& options, RunResult& result, const WorkDir& dir,
      std::map<std::string, std::string> allocated,
      std::map<std::string, std::string> substitutions)
      : scenario_(scenario),
        readiness_(effective_readiness(scenario.superlink)),
        allocated_(std::move(allocated)),
        substitutions_(std::move(substitutions)),
        options_(options),
        result_(result),
        ready_path_(dir.path() + "/ready.json"),
        work_dir_(dir.path()),
        remove_on_abandon_(dir.remove_on_abandon()),
        capture_(options.log_budget_bytes,
                 [this](const LogLine& line) {
                   // Once: a flood of empty lines must not take a lock per line.
                   if (events_ && !first_line_seen_) {
                     first_line_seen_ = true;
                     events_->started();
                   }
                   if (!line_patterns_.empty()) match_line_patterns(line);
                   if (options_.on_line) options_.on_line(line);
                 }),
        deadline_(io_),
        grace_(io_),
        hold_(io_),
        drain_(io_),
        port_poll_(io_),
        pidfd_(io_),
        out_(io_),
        err_(io_) {}

  void execute() {
    compile_line_patterns();
    watch_ready_file();
    take_startup_slot();
    result_.spawn_mono_ns = mono_ns();
    spawned_ = Clock::now();
    try {
      // A scenario that allows leftovers has them killed at once: nothing to wait for.
      const ContainmentOptions containment{remove_on_abandon_, scenario_.expect.leftovers_allowed
                                                                   ? std::chrono::milliseconds(0)
                                                                   : kLeftoverSettle};
      target_ = std::make_unique<ContainedTarget>(result_.argv, result_.env, containment);
      if (options_.more_runs_follow) prestart_run_init();
    } catch (const std::exception& error) {
      give_back_startup_slot();
      result_.harness_error = error.what();
      result_.end.kind = Termination::Kind::NotStarted;
      return;
    }
    result_.pid = target_->pid();
    result_.containment = std::string(containment_name(target_->containment()));
    // A duplicate: asio owns (and closes) its own, the events runner signals through the other.
    pidfd_.assign(::fcntl(target_->pidfd(), F_DUPFD_CLOEXEC, 0));
    out_.assign(target_->take_stdout());
    err_.assign(target_->take_stderr());

    events_ = std::make_unique<EventsRunner>(
        scenario_.events, target_->pidfd(), spawned_, spawned_ + scenario_.timeout, options_.grace,
        [this] { asio::post(io_, [this] { on_events_done(); }); });
    OutsideFaultContext outside;
    outside.work_dir = work_dir_;
    outside.journal = work_dir_ + "/journal.jsonl";
    if (scenario_.superlink.database == "file") outside.database = database_path(work_dir_);
    outside.env = result_.env;
    outside.target = target_->pid();
    outside.substitutions = substitutions_;
    events_->outside_faults(std::move(outside));
    events_->allocated(allocated_);
    events_->start();

    pidfd_.async_wait(stream_descriptor::wait_read, [this](auto error) {
      if (!error) on_exit();
    });
    read(out_, Stream::Stdout, out_buffer_);
    read(err_, Stream::Stderr, err_buffer_);
    deadline_.expires_at(spawned_ + scenario_.timeout);
    deadline_.async_wait([this](auto error) {
      if (!error) stop_target(/*timed_out=*/true);
    });
    if (readiness_ == Readiness::None) on_ready({}, Nanos(0));
    if (readiness_ == Readiness::Ports) poll_ports();

    auto guard = asio::make_work_guard(io_);
    io_.run();

    give_back_startup_slot();
    result_.events = events_->finish();
    target_.reset();  // kills what is left of the run, reaps the run init
    result_.log = capture_.take();
    result_.journal = read_journal(work_dir_ + "/journal.jsonl");
  }

 private:
  void take_startup_slot() {
    if (options_.startup_slots == nullptr) return;
    options_.startup_slots->acquire();
    holds_startup_slot_ = true;
  }

  // Once the target is ready or gone: it no longer starts up.
  void give_back_startup_slot() {
    if (!holds_startup_slot_) return;
    holds_startup_slot_ = false;
    options_.startup_slots->release();
  }

  // The `line:` anchors and `ready = { line = ... }`, compiled once; each counts at its first
  // match.
  void compile_line_patterns() {
    const auto add = [this](const std::string& pattern, bool readiness) {
      try {
        line_patterns_.push_back({pattern, compiled_pattern(pattern), readiness});
      } catch (const PatternError& error) {
        throw std::runtime_error("bad line pattern /" + pattern + "/: " + error.what());
      }
    };
    if (readiness_ == Readiness::Line) add(scenario_.superlink.ready_line, true);
    for (const Event& event : scenario_.events) {
      if (event.at == Event::Anchor::Line) add(event.line_pattern, false);
    }
  }

  void match_line_patterns(const LogLine& line) {
    for (LinePattern& pattern : line_patterns_) {
      if (pattern.matched || !re2::RE2::PartialMatch(line.text, *pattern.regex)) continue;
      pattern.matched = true;
      if (pattern.readiness) {
        on_ready({}, line.at);
      } else if (events_) {
        events_->line_matched(pattern.text, Clock::now());
      }
    }
  }

  // ready = "ports": every API port accepts a connection. Loopback connects answer at once
  // (refused or accepted), so each look is a non-blocking connect and a short poll.
  static bool accepts(const std::string& address) {
    const auto colon = address.rfind(':');
    const int port = std::atoi(address.c_str() + colon + 1);
    const UniqueFd socket(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
    if (!socket) return false;
    const int fd = socket.get();
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    to.sin_port = htons(static_cast<std::uint16_t>(port));
    bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof(to)) == 0;
    if (!ok && errno == EINPROGRESS) {
      pollfd watch{fd, POLLOUT, 0};
      int error = 0;
      socklen_t length = sizeof(error);
      ok = ::poll(&watch, 1, 20) == 1 &&
           ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) == 0 && error == 0;
    }
    return ok;
  }

  void poll_ports() {
    if (result_.ready || phase_ == TargetPhase::Exited) return;
    bool all = true;
    for (const char* api : {"fleet", "serverappio", "exec"}) {
      const auto it = allocated_.find(api);
      if (it != allocated_.end() && !accepts(it->second)) {
        all = false;
        break;
      }
    }
    if (all) {
      on_ready({}, since_spawn());
      return;
    }
    port_poll_.expires_after(std::chrono::milliseconds(10));
    port_poll_.async_wait([this](auto error) {
      if (!error) poll_ports();
    });
  }

  Nanos since_spawn() const { return std::chrono::duration_cast<Nanos>(Clock::now() - spawned_); }

  bool watches_journal() const {
    for (const Event& event : scenario_.events) {
      if (event.at == Event::Anchor::Fired) return true;
    }
    return false;
  }

  // inotify on the work dir: the ready file's rename, and appends to the journal when an event
  // waits for a firing. The watcher's thread only posts; the files are read on the run's thread.
  void watch_ready_file() {
    if (readiness_ != Readiness::File && !watches_journal()) return;
    const std::uint32_t mask = IN_MOVED_TO | IN_CLOSE_WRITE | (watches_journal() ? IN_MODIFY : 0);
    watch_.emplace(work_dir_, mask, [this] { asio::post(io_, [this] { on_directory_change(); }); });
  }

  void stop_watching() { watch_.reset(); }

  void on_directory_change() {
    if (!watch_) return;  // posted before stop_watching
    // Any change in the directory: look at the files themselves (small, and what counts).
    if (!result_.ready && readiness_ == Readiness::File) {
      if (auto addresses = read_ready_file(ready_path_)) {
        on_ready(std::move(*addresses), since_spawn());
      }
    }
    if (watches_journal()) notify_firings();
    if (!watches_journal() && result_.ready) stop_watching();
  }

  void notify_firings() {
    for (const JournalEntry& entry : read_journal(work_dir_ + "/journal.jsonl")) {
      if (!notified_sites_.insert(entry.site).second) continue;
      // mono_ns is CLOCK_MONOTONIC, steady_clock's epoch on Linux.
      events_->fired(
          entry.site,
          Clock::time_point(std::chrono::duration_cast<Clock::duration>(Nanos(entry.mono_ns))));
    }
  }

  // `reported`: what the ready file says (the bound addresses); the allocated ports fill in the
  // rest.
  void on_ready(std::map<std::string, std::string> reported, Nanos at) {
    if (result_.ready) return;
    std::map<std::string, std::string> addresses = allocated_;
    for (auto& [name, address] : reported) addresses[name] = std::move(address);
    port_poll_.cancel();
    result_.ready = true;
    result_.ready_at = at;
    give_back_startup_slot();
    result_.addresses = addresses;
    events_->ready(std::move(addresses));
    if (scenario_.events.empty()) start_hold();
  }

  void on_events_done() {
    if (!scenario_.events.empty()) start_hold();
  }

  // expect.still_running: the target must stay up `hold` longer; then the harness stops it.
  void start_hold() {
    if (!scenario_.expect.still_running || phase_ == TargetPhase::Exited) return;
    hold_.expires_after(scenario_.expect.hold);
    hold_.async_wait([this](auto error) {
      if (!error && phase_ != TargetPhase::Exited) stop_target(/*timed_out=*/false);
    });
  }

  void stop_target(bool timed_out) {
    if (phase_ != TargetPhase::Running) return;
    phase_ = timed_out ? TargetPhase::TermAtDeadline : TargetPhase::TermAfterHold;
    target_->signal_group(SIGTERM);
    grace_.expires_after(options_.grace);
    grace_.async_wait([this](auto error) {
      if (error || phase_ == TargetPhase::Exited) return;
      phase_ = phase_ == TargetPhase::TermAtDeadline ? TargetPhase::KillAtDeadline
                                                     : TargetPhase::KillAfterHold;
      target_->signal_group(SIGKILL);
    });
  }

  void on_exit() {
    const TargetPhase stopped = std::exchange(phase_, TargetPhase::Exited);
    give_back_startup_slot();
    result_.exit_mono_ns = mono_ns();
    result_.exit_at = since_spawn();
    deadline_.cancel();
    port_poll_.cancel();
    grace_.cancel();
    hold_.cancel();
    events_->target_exited();
    if (!result_.ready && readiness_ == Readiness::File) {
      // Written just before the exit, its notification not read yet.
      if (auto addresses = read_ready_file(ready_path_))
        on_ready(std::move(*addresses), since_spawn());
    }
    stop_watching();
    // The run init has killed every process of the run that outlived the target.
    const TargetEnd ended = target_->wait_end();
    result_.leftovers = ended.leftovers;
    const int status = ended.status;
    pidfd_.close();

    Termination& end = result_.end;
    if (WIFEXITED(status)) {
      end.code = WEXITSTATUS(status);
      end.kind = Termination::Kind::Exited;
    } else if (WIFSIGNALED(status)) {
      end.signal = WTERMSIG(status);
      end.core_dumped = WCOREDUMP(status);
      end.kind = Termination::Kind::Signaled;
    }
    if (stopped != TargetPhase::Running) {  // the harness stopped it
      const bool at_deadline =
          stopped == TargetPhase::TermAtDeadline || stopped == TargetPhase::KillAtDeadline;
      end.kind = at_deadline ? Termination::Kind::TimedOut : Termination::Kind::StillRunning;
      end.ignored_sigterm =
          stopped == TargetPhase::KillAtDeadline || stopped == TargetPhase::KillAfterHold;
    }
    // Everything that held the pipes is dead; a descendant out of reach could still hold them,
    // so EOF gets a bounded wait.
    drain_.expires_after(options_.grace);
    drain_.async_wait([this](auto error) {
      if (error) return;
      out_.close();
      err_.close();
    });
    maybe_finish();
  }

  void read(stream_descriptor& pipe, Stream stream, std::array<char, 64 * 1024>& buffer) {
    pipe.async_read_some(
        asio::buffer(buffer), [this, &pipe, stream, &buffer](auto error, std::size_t size) {
          if (size > 0) capture_.feed(stream, std::string_view(buffer.data(), size), since_spawn());
          if (error) {
            capture_.finish(stream, since_spawn());
            --pipes_read_;
            if (pipe.is_open()) pipe.close();
            maybe_finish();
            return;
          }
          read(pipe, stream, buffer);
        });
  }

  void maybe_finish() {
    if (phase_ == TargetPhase::Exited && pipes_read_ == 0) {
      drain_.cancel();
      io_.stop();
    }
  }

  struct LinePattern {
    std::string text;
    std::shared_ptr<const re2::RE2> regex;
    bool readiness = false;  // ready = { line = ... } rather than an event's anchor
    bool matched = false;
  };

  const Scenario& scenario_;
  const Readiness readiness_;
  const std::map<std::string, std::string> allocated_;      // API name -> 127.0.0.1:PORT
  const std::map<std::string, std::string> substitutions_;  // `{name}` -> its value in this run
  std::vector<LinePattern> line_patterns_;
  const RunOptions& options_;
  RunResult& result_;
  const std::string ready_path_;
  const std::string work_dir_;
  const std::string remove_on_abandon_;
  OutputCapture capture_;

  asio::io_context io_;
  asio::steady_timer deadline_;
  asio::steady_timer grace_;
  asio::steady_timer hold_;
  asio::steady_timer drain_;
  asio::steady_timer port_poll_;
  stream_descriptor pidfd_;
  stream_descriptor out_;
  stream_descriptor err_;
  std::optional<DirectoryWatch> watch_;  // declared after io_: destroyed before it
  // Not cleared: only what a read returns is used.
  std::array<char, 64 * 1024> out_buffer_;
  std::array<char, 64 * 1024> err_buffer_;
  std::unique_ptr<ContainedTarget> target_;
  std::unique_ptr<EventsRunner> events_;
  std::set<std::string> notified_sites_;

  Clock::time_point spawned_;
  bool first_line_seen_ = false;
  bool holds_startup_slot_ = false;
  int pipes_read_ = 2;  // stdout and stderr until each reaches EOF (or is closed after the drain)
  // The target's life, one state at a time: running; SIGTERM sent by the harness (after
  // expect.hold, or at the deadline); SIGKILL sent when it outlived the grace; exited.
  enum class TargetPhase {
    Running,
    TermAfterHold,
    TermAtDeadline,
    KillAfterHold,
    KillAtDeadline,
    Exited
  };
  TargetPhase phase_ = TargetPhase::Running;
};

}  // namespace

void prepare_runs() {
  start_run_folders_parent();
  prestart_run_init();
}

RunResult run_scenario(const Scenario& scenario, const RunOptions& options) {
  const Clock::time_point started = Clock::now();
  RunResult result;
  install_cleanup_on_signal();
  try {
    WorkDir dir(options.work_dir);
    // Held until the run is over: no other run, in this process or another, gets these ports.
    std::vector<std::string> apis(kRunApis.begin(), kRunApis.end());
    if (uses_failpoint_control(scenario)) apis.push_back("control");
    const RunPorts ports = lease_run_ports(apis, scenario.setup.occupy);
    const PortLeases& leases = ports.leases;
    TargetCommand command = build_target_command(scenario, options, dir.path(), leases.ports());
    result.argv = std::move(command.argv);
    result.env = std::move(command.env);
    result.work_dir = dir.path();
    std::map<std::string, std::string> allocated;
    for (const auto& [name, port] : leases.ports()) {
      // The control endpoint is "failpoint_control" where the ready file names it.
      allocated[name == "control" ? "failpoint_control" : name] =
          "127.0.0.1:" + std::to_string(port);
    }
    Run(scenario, options, result, dir, std::move(allocated),
        substitution_values(scenario, options, dir.path(), leases.ports()))
        .execute();
  } catch (const std::exception& error) {
    result.harness_error = error.what();
  }
  result.wall = std::chrono::duration_cast<Nanos>(Clock::now() - started);
  return result;
}

}  // namespace harness
