// downstream-server: a stand-in for a team's own server. One worker thread does the work; when
// it dies (an exception) or ends, the process stops at once with its own exit code, which is the
// promise its scenarios pin down. Two failpoint sites: `worker.start` and `worker.tick`.
//
// Environment (set by superlink-harness for a `command` target): FAILPOINTS, the fault journal in
// SUPERLINK_FAULT_JOURNAL, and SUPERLINK_READY_FILE, written once the worker runs.
// Exit codes: 0 after SIGTERM or SIGINT, 70 the worker died, 71 the worker ended, 2 bad FAILPOINTS.
#include <pthread.h>
#include <unistd.h>

#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "failpoint/failpoint.h"

namespace {

// What the main thread waits for: the worker stopping, or a termination signal.
struct Outcome {
  std::mutex mutex;
  std::condition_variable changed;
  bool worker_running = false;
  std::optional<int> exit_code;
  std::string why;

  void finish(int code, std::string reason) {
    std::lock_guard lock(mutex);
    if (exit_code) return;
    exit_code = code;
    why = std::move(reason);
    changed.notify_all();
  }
};

void worker(Outcome& outcome) {
  try {
    if (FAILPOINT("worker.start")) return outcome.finish(71, "worker thread ended at start");
    {
      std::lock_guard lock(outcome.mutex);
      outcome.worker_running = true;
    }
    outcome.changed.notify_all();
    for (;;) {
      if (FAILPOINT("worker.tick")) return outcome.finish(71, "worker thread ended");
      std::unique_lock lock(outcome.mutex);
      // The work's own cadence; a finished process wakes it at once.
      if (outcome.changed.wait_for(lock, std::chrono::milliseconds(20),
                                   [&] { return outcome.exit_code.has_value(); }))
        return;
    }
  } catch (const std::exception& e) {
    outcome.finish(70, std::string("worker thread died: ") + e.what());
  }
}

// Written atomically (temp file, rename), as the harness expects.
void write_ready_file(const char* path) {
  const std::string temp = std::string(path) + ".tmp";
  std::ofstream(temp) << "{\"pid\": " << getpid() << "}\n";
  std::rename(temp.c_str(), path);
}

}  // namespace

int main() {
  failpoint::declare_sites({{"worker.start", "worker thread, before its loop"},
                            {"worker.tick", "worker thread, every pass of its loop"}});
  try {
    if (const char* spec = std::getenv("FAILPOINTS")) failpoint::configure(spec);
    if (const char* journal = std::getenv("SUPERLINK_FAULT_JOURNAL"))
      failpoint::open_journal(journal);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "downstream-server: %s\n", e.what());
    return 2;
  }

  // Termination signals are taken by one thread with sigwait, never by a handler.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  Outcome outcome;
  std::thread([&] {
    int signo = 0;
    sigwait(&stop_signals, &signo);
    outcome.finish(0, signo == SIGTERM ? "stopped by SIGTERM" : "stopped by SIGINT");
  }).detach();
  std::thread work(worker, std::ref(outcome));

  std::unique_lock lock(outcome.mutex);
  outcome.changed.wait(lock, [&] { return outcome.worker_running || outcome.exit_code; });
  if (!outcome.exit_code) {
    if (const char* ready = std::getenv("SUPERLINK_READY_FILE")) write_ready_file(ready);
    std::fprintf(stderr, "downstream-server: worker running\n");
  }
  outcome.changed.wait(lock, [&] { return outcome.exit_code.has_value(); });
  const int code = *outcome.exit_code;
  std::fprintf(stderr, "downstream-server: %s, exit %d\n", outcome.why.c_str(), code);
  lock.unlock();
  work.join();
  return code;
}
