#include "superlink/runtime/termination_signals.h"

#include <pthread.h>

#include <atomic>
#include <cstdlib>
#include <thread>

#include "superlink/fleet/crash_report.h"
#include "superlink/flower/exit_codes.h"
#include "superlink/flower/flower_log.h"

namespace superlink {
namespace {

sigset_t termination_set() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGQUIT);
  sigaddset(&set, SIGTERM);
  return set;
}

std::atomic<bool> g_graceful{false};

// Dies by `signo` as an unhandled signal would: its default action, from this thread, which is
// the only one that unblocks it.
[[noreturn]] void die_by(int signo) {
  if (signo == SIGINT) write_raw_stderr(keyboard_interrupt_traceback());
  std::signal(signo, SIG_DFL);
  sigset_t one;
  sigemptyset(&one);
  sigaddset(&one, signo);
  pthread_sigmask(SIG_UNBLOCK, &one, nullptr);
  ::raise(signo);
  std::_Exit(128 + signo);  // not reached: the default action of these signals ends the process
}

}  // namespace

void block_termination_signals() {
  const sigset_t set = termination_set();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

void start_signal_thread(Supervisor& supervisor, SignalsUntilHandled until_handled) {
  if (until_handled == SignalsUntilHandled::kGraceful) enable_graceful_exit();
  std::thread([&supervisor] {
    pthread_setname_np(pthread_self(), "signals");
    const sigset_t set = termination_set();
    for (;;) {
      int signo = 0;
      if (sigwait(&set, &signo) != 0) continue;
      if (!g_graceful.load()) die_by(signo);
      supervisor.notify_signal(signo);
    }
  }).detach();
}

void enable_graceful_exit() {
  g_graceful.store(true);
}

int graceful_exit_code(int signo) {
  switch (signo) {
    case SIGINT:
      return exit_code::kGracefulSigint;
    case SIGQUIT:
      return exit_code::kGracefulSigquit;
    default:
      return exit_code::kGracefulSigterm;
  }
}

}  // namespace superlink
