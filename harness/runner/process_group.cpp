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

#include "harness/run.h"
#include "process_pidfd.h"

namespace harness {

namespace {

// Lock-free slots, because the signal handler reads them.
constexpr std::size_t kSlots = 1024;
std::array<std::atomic<pid_t>, kSlots> g_groups{};
std::atomic<bool> g_cleanup_installed{false};

void kill_registered_groups(int signal_number) {
  for (auto& slot : g_groups) {
    const pid_t pgid = slot.load();
    if (pgid > 0) ::kill(-pgid, SIGKILL);
  }
  // Restore the default action and end the harness by the signal it got.
  ::signal(signal_number, SIG_DFL);
  ::raise(signal_number);
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

void install_cleanup_on_signal() {
  if (g_cleanup_installed.exchange(true)) return;
  struct sigaction action {};
  action.sa_handler = kill_registered_groups;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESETHAND;
  ::sigaction(SIGINT, &action, nullptr);
  ::sigaction(SIGTERM, &action, nullptr);
}

std::vector<std::string> kill_leftovers(pid_t pgid) {
  std::lock_guard lock(process_registry_mutex());
  const pid_t self = ::getpid();
  std::vector<std::string> alive;
  std::set<pid_t> listed;
  // Each round kills what it finds and waits for it; the children of the killed are orphaned
  // to the harness and found by the next round.
  for (int round = 0; round < 64; ++round) {
    std::vector<ProcEntry> victims;
    for (const ProcEntry& entry : scan_proc()) {
      const bool in_group = entry.pgrp == pgid && entry.pid != pgid;
      const bool orphan = entry.ppid == self && !is_registered(entry.pid);
      if (!in_group && !orphan) continue;
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

}  // namespace harness
