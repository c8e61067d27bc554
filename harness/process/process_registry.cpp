#include "process_registry.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <thread>

#include "process_pidfd.h"
#include "unique_fd.h"

namespace harness {

namespace {

// Lock-free slots, because the signal handler reads them.
constexpr std::size_t kSlots = 1024;
std::array<std::atomic<pid_t>, kSlots> g_run_inits{};
std::atomic<bool> g_cleanup_installed{false};

std::mutex& folders_mutex() {
  static std::mutex mutex;
  return mutex;
}

std::set<std::string>& run_folders() {
  static std::set<std::string> folders;
  return folders;
}

// The handler does only what is async-signal-safe: stop every run init at once (each kills
// its run), send the harness's own output to /dev/null (no verdict of a target it killed itself
// may be printed), say why on stderr, and wake the cleanup thread, which waits for the run inits
// and ends the harness by the signal it got.
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
  for (auto& slot : g_run_inits) {
    if (const pid_t pid = slot.load(); pid > 0) ::kill(pid, SIGTERM);
  }
  if (g_dev_null >= 0) ::dup2(g_dev_null, STDOUT_FILENO);
  constexpr char kNote[] = "superlink-harness: interrupted; stopping every target\n";
  static_cast<void>(::write(STDERR_FILENO, kNote, sizeof kNote - 1));
  const unsigned char byte = static_cast<unsigned char>(signal_number);
  if (::write(g_wake_cleanup, &byte, 1) != 1) {
    ::signal(signal_number, SIG_DFL);
    ::raise(signal_number);
  }
}

// The cleanup thread: waits for the handler's byte, then takes the registry lock for good (no
// new run starts), waits until every run init has ended (each stopped by the handler), removes
// the run folders left, and re-raises the signal with its default action.
void cleanup_after_signal(int wake) {
  unsigned char byte = 0;
  while (::read(wake, &byte, 1) != 1) {
  }
  process_registry_mutex().lock();  // never released: the harness is ending
  for (auto& slot : g_run_inits) {
    const pid_t pid = slot.load();
    if (pid <= 0) continue;
    // Unreaped while registered: the pid is still its own.
    const UniqueFd pidfd(open_pidfd(pid));
    if (!pidfd) continue;
    send_signal(pidfd.get(), SIGTERM);  // registered after the handler ran
    pollfd watch{pidfd.get(), POLLIN, 0};
    ::poll(&watch, 1, 10000);
  }
  {
    std::lock_guard lock(folders_mutex());
    for (const std::string& folder : run_folders()) {
      std::error_code ignored;
      std::filesystem::remove_all(folder, ignored);
    }
  }
  ::signal(byte, SIG_DFL);
  ::raise(byte);
}

}  // namespace

std::mutex& process_registry_mutex() {
  static std::mutex mutex;
  return mutex;
}

void register_run_init_locked(pid_t pid) {
  for (auto& slot : g_run_inits) {
    pid_t empty = 0;
    if (slot.compare_exchange_strong(empty, pid)) return;
  }
}

void unregister_run_init(pid_t pid) {
  for (auto& slot : g_run_inits) {
    pid_t expected = pid;
    if (slot.compare_exchange_strong(expected, 0)) return;
  }
}

void register_run_folder(const std::string& path) {
  std::lock_guard lock(folders_mutex());
  run_folders().insert(path);
}

void unregister_run_folder(const std::string& path) {
  std::lock_guard lock(folders_mutex());
  run_folders().erase(path);
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
