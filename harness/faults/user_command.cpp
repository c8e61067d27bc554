#include "user_command.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <utility>

#include "harness/signal_name.h"
#include "process_containment.h"
#include "process_pidfd.h"
#include "spawn_program.h"
#include "unique_fd.h"

namespace harness {

namespace {

using Clock = std::chrono::steady_clock;

int millis_until(Clock::time_point when) {
  const auto left = std::chrono::ceil<std::chrono::milliseconds>(when - Clock::now()).count();
  return left <= 0 ? 0 : static_cast<int>(std::min<long long>(left, 60'000));
}

// Reads what is there; false at EOF or error.
bool read_some(int fd, CommandResult& result, std::size_t limit) {
  std::array<char, 16 * 1024> buffer{};
  const ssize_t n = ::read(fd, buffer.data(), buffer.size());
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return true;
  if (n <= 0) return false;
  const std::size_t room = limit > result.output.size() ? limit - result.output.size() : 0;
  const auto size = static_cast<std::size_t>(n);
  result.output.append(buffer.data(), std::min(room, size));
  if (size > room) result.output_cut = true;
  return true;
}

}  // namespace

std::string CommandResult::describe() const {
  if (spawn_error) return std::string("not started: ") + std::strerror(*spawn_error);
  if (stopped) return "still running at the run's deadline or end: killed";
  if (WIFEXITED(wait_status))
    return "exited with status " + std::to_string(WEXITSTATUS(wait_status));
  if (WIFSIGNALED(wait_status)) return "killed by " + signal_name(WTERMSIG(wait_status));
  return "ended with wait status " + std::to_string(wait_status);
}

bool CommandResult::succeeded() const {
  return !spawn_error && !stopped && WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 0;
}

CommandResult run_command(const std::vector<std::string>& argv,
                          const std::map<std::string, std::string>& env,
                          const std::string& working_dir, Clock::time_point deadline, int cancel_fd,
                          std::size_t output_limit, const std::function<void()>& on_started) {
  CommandResult result;
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) {
    result.spawn_error = errno;
    return result;
  }
  UniqueFd reader(pipe_fds[0]);
  UniqueFd writer(pipe_fds[1]);
  UniqueFd null_input(::open("/dev/null", O_RDONLY | O_CLOEXEC));
  ChildEnvironment environment = child_environment(env);
  SpawnRequest request;
  request.argv = argv;
  request.envp = environment.envp();
  request.stdin_fd = null_input.get();
  request.stdout_fd = writer.get();
  request.stderr_fd = writer.get();
  request.working_dir = working_dir.empty() ? nullptr : working_dir.c_str();
  const pid_t pid = spawn(request);
  if (pid < 0) {
    result.spawn_error = -pid;
    return result;
  }
  writer.reset();
  if (on_started) on_started();
  UniqueFd pidfd(open_pidfd(pid));
  ::fcntl(reader.get(), F_SETFL, O_NONBLOCK);

  bool exited = false;
  bool output_open = true;
  while (!exited) {
    pollfd watch[3] = {{pidfd.get(), POLLIN, 0},
                       {output_open ? reader.get() : -1, POLLIN, 0},
                       {cancel_fd, POLLIN, 0}};
    const int ready = ::poll(watch, 3, millis_until(deadline));
    if (ready < 0 && errno == EINTR) continue;
    if (watch[1].revents != 0) output_open = read_some(reader.get(), result, output_limit);
    if (watch[0].revents != 0 || pidfd.get() < 0) {
      exited = true;
    } else if (watch[2].revents != 0 || Clock::now() >= deadline) {
      result.stopped = true;
      break;
    }
  }
  // Whatever the command left in its group goes with it (the command itself when stopped).
  ::killpg(pid, SIGKILL);
  while (::waitpid(pid, &result.wait_status, 0) < 0 && errno == EINTR) {
  }
  // The group is dead: EOF comes unless a process of another group holds the pipe; the
  // deadline bounds that wait.
  while (output_open) {
    pollfd watch[2] = {{reader.get(), POLLIN, 0}, {cancel_fd, POLLIN, 0}};
    const int ready = ::poll(watch, 2, millis_until(deadline));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0 || watch[1].revents != 0) break;
    output_open = read_some(reader.get(), result, output_limit);
  }
  return result;
}

}  // namespace harness
