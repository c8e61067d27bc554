// pidfd_open and pidfd_send_signal through syscall(2): Debian 12's <sys/pidfd.h> declares them
// without C linkage, so C++ code cannot link against its declarations.
#pragma once

#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

#include <csignal>

namespace harness {

// A close-on-exec descriptor that becomes readable when `pid` exits; -1 with errno on failure.
inline int open_pidfd(pid_t pid) {
  return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
}

// kill(2) through a pidfd: never reaches a process that reused the pid.
inline int send_signal(int pidfd, int signal_number) {
  return static_cast<int>(::syscall(SYS_pidfd_send_signal, pidfd, signal_number, nullptr, 0));
}

}  // namespace harness
