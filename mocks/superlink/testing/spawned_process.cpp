#include "superlink/testing/spawned_process.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/inotify.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "child_environment.h"
#include "spawn_program.h"

namespace superlink::test_support {
namespace {

using Clock = std::chrono::steady_clock;

int remaining_ms(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return left.count() > 0 ? static_cast<int>(left.count()) : 0;
}

}  // namespace

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

SpawnedProcess::SpawnedProcess(const std::vector<std::string>& argv,
                               const std::vector<std::string>& env) {
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
  stderr_fd_.reset(pipe_fds[0]);
  harness::UniqueFd write_end(pipe_fds[1]);
  harness::ChildEnvironment envs = harness::ChildEnvironment::inherited();
  for (const std::string& entry : env) envs.append(entry);
  harness::SpawnRequest request;
  request.argv = argv;
  request.envp = envs.envp();
  request.stderr_fd = write_end.get();
  request.own_process_group = false;
  pid_ = harness::spawn(request);
  write_end.reset();
  if (pid_ < 0) {
    throw std::runtime_error("posix_spawn " + argv[0] + ": " + std::strerror(-pid_));
  }
  pidfd_.reset(static_cast<int>(::syscall(SYS_pidfd_open, pid_, 0)));
}

SpawnedProcess::~SpawnedProcess() {
  if (!reaped_) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
}

void SpawnedProcess::read_available() {
  char buffer[4096];
  const ssize_t n = ::read(stderr_fd_.get(), buffer, sizeof buffer);
  if (n > 0) stderr_.append(buffer, static_cast<std::size_t>(n));
}

void SpawnedProcess::drain_stderr() {
  pollfd fd{stderr_fd_.get(), POLLIN, 0};
  while (::poll(&fd, 1, 0) > 0 && (fd.revents & POLLIN)) {
    const std::size_t before = stderr_.size();
    read_available();
    if (stderr_.size() == before) return;  // end of file
  }
}

bool SpawnedProcess::wait_for_file(const std::string& path, std::chrono::milliseconds timeout) {
  const harness::UniqueFd inotify_fd(::inotify_init1(IN_CLOEXEC));
  const int inotify = inotify_fd.get();
  const std::string dir = std::filesystem::path(path).parent_path().string();
  ::inotify_add_watch(inotify, dir.c_str(), IN_MOVED_TO | IN_CLOSE_WRITE);
  const auto deadline = Clock::now() + timeout;
  bool found = false;
  // The watch is in place before the first look, so no creation can slip between the two.
  while (!(found = std::filesystem::exists(path))) {
    pollfd fds[3] = {
        {inotify, POLLIN, 0}, {stderr_fd_.get(), POLLIN, 0}, {pidfd_.get(), POLLIN, 0}};
    if (::poll(fds, 3, remaining_ms(deadline)) <= 0) break;
    if (fds[0].revents & POLLIN) {
      char events[4096];
      [[maybe_unused]] ssize_t n = ::read(inotify, events, sizeof events);
    }
    if (fds[1].revents & POLLIN) read_available();
    if (fds[2].revents & POLLIN) {
      found = std::filesystem::exists(path);
      break;  // the process ended
    }
  }
  return found;
}

bool SpawnedProcess::wait_for_stderr(const std::string& text, int count,
                                     std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  const auto occurrences = [&] {
    int seen = 0;
    for (auto at = stderr_.find(text); at != std::string::npos; at = stderr_.find(text, at + 1)) {
      ++seen;
    }
    return seen;
  };
  while (occurrences() < count) {
    pollfd fd{stderr_fd_.get(), POLLIN, 0};
    if (::poll(&fd, 1, remaining_ms(deadline)) <= 0) return false;
    const std::size_t before = stderr_.size();
    read_available();
    if (stderr_.size() == before) return false;  // end of stderr: the process is gone
  }
  return true;
}

ExitInfo SpawnedProcess::wait_exit(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    pollfd fd{stderr_fd_.get(), POLLIN, 0};
    if (::poll(&fd, 1, remaining_ms(deadline)) <= 0) {
      ::kill(pid_, SIGKILL);  // safety net: the test fails on the status below
      break;
    }
    char buffer[4096];
    const ssize_t n = ::read(stderr_fd_.get(), buffer, sizeof buffer);
    if (n <= 0) break;
    stderr_.append(buffer, static_cast<std::size_t>(n));
  }
  int status = 0;
  ::waitpid(pid_, &status, 0);
  reaped_ = true;
  ExitInfo info;
  info.exited = WIFEXITED(status);
  info.status = info.exited ? WEXITSTATUS(status) : 0;
  info.signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
  return info;
}

}  // namespace superlink::test_support
