// What /proc says about a running target's threads and descriptors, for finding the thread a
// system-call fault goes to: threads by OS name, the process that listens on a port or holds a
// file open, and the epoll instances that watch a descriptor. Reads /proc only.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace harness {

struct TargetThread {
  pid_t pid = 0;  // the process (thread group)
  pid_t tid = 0;
  std::string name;  // /proc/PID/task/TID/comm
};

// `target` and every process below it, the target first.
std::vector<pid_t> run_processes(pid_t target);

// The threads of `pid`, in /proc's order.
std::vector<TargetThread> threads_of(pid_t pid);

// The descriptor of `pid` that is a TCP socket listening on `port` (IPv4 or IPv6); -1: none.
int listening_descriptor(pid_t pid, int port);

// The descriptors of `pid` that are epoll instances whose interest list holds descriptor `fd`.
std::vector<int> epoll_descriptors_watching(pid_t pid, int fd);

// Whether a descriptor of `pid` is open on `path` (compared as /proc/PID/fd's links show it).
bool holds_open(pid_t pid, const std::string& path);

}  // namespace harness
