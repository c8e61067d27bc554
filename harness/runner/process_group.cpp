#include "process_group.h"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "harness/run.h"
#include "process_pidfd.h"

namespace harness {

namespace {

// Lock-free slots, because the signal handler reads them.
constexpr std::size_t kSlots = 1024;
std::array<std::atomic<pid_t>, kSlots> g_groups{};
std::atomic<bool> g_cleanup_installed{false};

void kill_registered_groups() {
  for (auto& slot : g_groups) {
    const pid_t pgid = slot.load();
    if (pgid > 0) ::kill(-pgid, SIGKILL);
  }
}

// The handler does only what is async-signal-safe: kill the targets' groups at once, send the
// harness's own output to /dev/null (no verdict of a target it killed itself may be printed),
// say why on stderr, and wake the cleanup thread, which sweeps what the groups do not hold
// (grandchildren in sessions of their own) and ends the harness by the signal it got.
int g_wake_cleanup = -1;
int g_dev_null = -1;
std::atomic<bool> g_stopping{false};

// A run whose target the handler killed may end, and main() with it, before the cleanup thread
// is done: the harness must still end by the signal, not with a status of its own.
void wait_for_cleanup_at_exit() {
  while (g_stopping.load()) ::pause();
}

void on_stop_signal(int signal_number) {
  g_stopping.store(true);
  kill_registered_groups();
  if (g_dev_null >= 0) ::dup2(g_dev_null, STDOUT_FILENO);
  constexpr char kNote[] = "superlink-harness: interrupted; stopping every target\n";
  static_cast<void>(::write(STDERR_FILENO, kNote, sizeof kNote - 1));
  const unsigned char byte = static_cast<unsigned char>(signal_number);
  if (::write(g_wake_cleanup, &byte, 1) != 1) {
    ::signal(signal_number, SIG_DFL);
    ::raise(signal_number);
  }
}

struct ProcEntry {
  pid_t pid = 0;
  std::string comm;
  char state = '?';
  pid_t ppid = 0;
  pid_t pgrp = 0;
};

bool read_proc_entry(pid_t pid, ProcEntry& entry) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat;
  if (!std::getline(in, stat)) return false;
  // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses.
  const std::size_t open = stat.find('(');
  const std::size_t close = stat.rfind(')');
  if (open == std::string::npos || close == std::string::npos || close < open) return false;
  entry.pid = pid;
  entry.comm = stat.substr(open + 1, close - open - 1);
  std::istringstream rest(stat.substr(close + 1));
  rest >> entry.state >> entry.ppid >> entry.pgrp;
  return static_cast<bool>(rest);
}

std::vector<ProcEntry> scan_proc() {
  std::vector<ProcEntry> entries;
  DIR* dir = ::opendir("/proc");
  if (dir == nullptr) return entries;
  while (const dirent* item = ::readdir(dir)) {
    char* end = nullptr;
    const long pid = std::strtol(item->d_name, &end, 10);
    if (pid <= 0 || *end != '\0') continue;
    ProcEntry entry;
    if (read_proc_entry(static_cast<pid_t>(pid), entry)) entries.push_back(entry);
  }
  ::closedir(dir);
  return entries;
}

bool is_registered(pid_t pid) {
  for (const auto& slot : g_groups) {
    if (slot.load() == pid) return true;
  }
  return false;
}

}  // namespace

std::mutex& process_registry_mutex() {
  static std::mutex mutex;
  return mutex;
}

void register_group_locked(pid_t pgid) {
  for (auto& slot : g_groups) {
    pid_t empty = 0;
    if (slot.compare_exchange_strong(empty, pgid)) return;
  }
}

void unregister_group(pid_t pgid) {
  for (auto& slot : g_groups) {
    pid_t expected = pgid;
    if (slot.compare_exchange_strong(expected, 0)) return;
  }
}

void become_subreaper() {
  static const bool done = [] {
    ::prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
    return true;
  }();
  static_cast<void>(done);
}

namespace {

// Kills (SIGKILL) every process `pick` selects, round after round (the children of the killed
// are orphaned to the harness and found by the next round), reaping the harness's own children
// and waiting for the others. With process_registry_mutex() held. Returns "pid 123 (sleep)" for
// each process that was alive.
template <typename Pick>
std::vector<std::string> sweep(Pick pick) {
  const pid_t self = ::getpid();
  std::vector<std::string> alive;
  std::set<pid_t> listed;
  for (int round = 0; round < 64; ++round) {
    std::vector<ProcEntry> victims;
    for (const ProcEntry& entry : scan_proc()) {
      if (!pick(entry, self)) continue;
      if (entry.state == 'Z' && entry.ppid != self) continue;  // its parent reaps it
      victims.push_back(entry);
    }
    if (victims.empty()) break;
    for (const ProcEntry& victim : victims) {
      if (victim.state != 'Z' && listed.insert(victim.pid).second) {
        alive.push_back("pid " + std::to_string(victim.pid) + " (" + victim.comm + ")");
      }
      if (victim.ppid == self) {
        ::kill(victim.pid, SIGKILL);
        ::waitpid(victim.pid, nullptr, 0);
        continue;
      }
      // Not ours to reap: wait on a pidfd until it has died.
      const int pidfd = open_pidfd(victim.pid);
      if (pidfd < 0) continue;  // already gone
      send_signal(pidfd, SIGKILL);
      pollfd watch{pidfd, POLLIN, 0};
      ::poll(&watch, 1, 1000);
      ::close(pidfd);
    }
  }
  return alive;
}

// The cleanup thread: waits for the handler's byte, then takes the registry lock for good (no
// new target starts), kills every registered group and every child and orphan of the harness,
// and re-raises the signal with its default action.
void cleanup_after_signal(int wake) {
  unsigned char byte = 0;
  while (::read(wake, &byte, 1) != 1) {
  }
  process_registry_mutex().lock();  // never released: the harness is ending
  std::set<pid_t> groups;
  for (const auto& slot : g_groups) {
    if (const pid_t pgid = slot.load(); pgid > 0) groups.insert(pgid);
  }
  // Wait for each target to be dead (not reaped: its run may still wait for it), so that its
  // children have been handed to the harness before the sweep looks for them.
  for (const pid_t leader : groups) {
    const int pidfd = open_pidfd(leader);
    if (pidfd < 0) continue;
    send_signal(pidfd, SIGKILL);
    pollfd watch{pidfd, POLLIN, 0};
    ::poll(&watch, 1, 1000);
    ::close(pidfd);
  }
  sweep([&groups](const ProcEntry& entry, pid_t self) {
    if (groups.contains(entry.pid)) return false;  // a target: killed above
    return entry.ppid == self || groups.contains(entry.pgrp);
  });
  ::signal(byte, SIG_DFL);
  ::raise(byte);
}

}  // namespace

std::vector<std::string> kill_leftovers(pid_t pgid) {
  std::lock_guard lock(process_registry_mutex());
  return sweep([pgid](const ProcEntry& entry, pid_t self) {
    const bool in_group = entry.pgrp == pgid && entry.pid != pgid;
    const bool orphan = entry.ppid == self && !is_registered(entry.pid);
    return in_group || orphan;
  });
}

void install_cleanup_on_signal() {
  if (g_cleanup_installed.exchange(true)) return;
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) return;
  g_wake_cleanup = pipe_fds[1];
  g_dev_null = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  std::atexit(wait_for_cleanup_at_exit);
  std::thread(cleanup_after_signal, pipe_fds[0]).detach();
  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESETHAND;  // a second signal ends the harness at once
  ::sigaction(SIGINT, &action, nullptr);
  ::sigaction(SIGTERM, &action, nullptr);
}

}  // namespace harness
