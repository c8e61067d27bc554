#include "superlink/termination_signals.h"

#include <pthread.h>

#include <thread>

#include "superlink/exit_codes.h"

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

}  // namespace

void block_termination_signals() {
  const sigset_t set = termination_set();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

void start_signal_thread(Supervisor& supervisor) {
  std::thread([&supervisor] {
    pthread_setname_np(pthread_self(), "signals");
    const sigset_t set = termination_set();
    for (;;) {
      int signo = 0;
      if (sigwait(&set, &signo) == 0) supervisor.notify_signal(signo);
    }
  }).detach();
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
