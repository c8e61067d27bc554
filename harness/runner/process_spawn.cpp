#include "process_spawn.h"

#include <fcntl.h>
#include <spawn.h>
#include <unistd.h>

#include <csignal>
#include <cstring>
#include <mutex>
#include <stdexcept>
#include <utility>

#include "process_group.h"
#include "process_pidfd.h"

extern char** environ;

namespace harness {

namespace {

class Pipe {
 public:
  Pipe() {
    if (::pipe2(fds_, O_CLOEXEC) != 0) {
      throw std::runtime_error(std::string("cannot create a pipe: ") + std::strerror(errno));
    }
  }
  ~Pipe() {
    for (const int fd : fds_) {
      if (fd >= 0) ::close(fd);
    }
  }
  Pipe(const Pipe&) = delete;
  Pipe& operator=(const Pipe&) = delete;
  int read_end() const { return fds_[0]; }
  int write_end() const { return fds_[1]; }
  int release_read_end() { return std::exchange(fds_[0], -1); }

 private:
  int fds_[2] = {-1, -1};
};

std::vector<std::string> child_environment(const std::map<std::string, std::string>& env) {
  std::vector<std::string> entries;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string_view item(*entry);
    const std::string name(item.substr(0, item.find('=')));
    if (env.contains(name) || name == "FAILPOINTS") continue;
    entries.emplace_back(item);
  }
  for (const auto& [name, value] : env) entries.push_back(name + '=' + value);
  return entries;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> result;
  for (std::string& s : strings) result.push_back(s.data());
  result.push_back(nullptr);
  return result;
}

// RAII for the posix_spawn attribute objects.
struct SpawnSetup {
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attributes;
  SpawnSetup() {
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attributes);
  }
  ~SpawnSetup() {
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
  }
  SpawnSetup(const SpawnSetup&) = delete;
  SpawnSetup& operator=(const SpawnSetup&) = delete;
};

}  // namespace

SpawnedProcess spawn_process(const std::vector<std::string>& argv,
                             const std::map<std::string, std::string>& env) {
  if (argv.empty()) throw std::runtime_error("cannot start the target: empty command");
  Pipe out;
  Pipe err;
  SpawnSetup setup;
  posix_spawn_file_actions_addopen(&setup.actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&setup.actions, out.write_end(), STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&setup.actions, err.write_end(), STDERR_FILENO);

  // Own process group; nothing of the harness's signal mask or handlers carries over.
  sigset_t empty;
  sigemptyset(&empty);
  sigset_t defaults;
  sigemptyset(&defaults);
  for (const int sig : {SIGINT, SIGTERM, SIGQUIT, SIGHUP, SIGPIPE, SIGCHLD, SIGUSR1, SIGUSR2,
                        SIGALRM, SIGABRT, SIGSEGV}) {
    sigaddset(&defaults, sig);
  }
  posix_spawnattr_setflags(&setup.attributes,
                           POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  posix_spawnattr_setpgroup(&setup.attributes, 0);
  posix_spawnattr_setsigmask(&setup.attributes, &empty);
  posix_spawnattr_setsigdefault(&setup.attributes, &defaults);

  std::vector<std::string> args = argv;
  std::vector<std::string> environment = child_environment(env);
  std::vector<char*> argv_pointers = pointers(args);
  std::vector<char*> env_pointers = pointers(environment);

  SpawnedProcess process;
  {
    // Block SIGINT/SIGTERM on this thread so that the group is registered before the cleanup
    // handler can run here.
    sigset_t block;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    sigset_t previous;
    pthread_sigmask(SIG_BLOCK, &block, &previous);
    std::lock_guard lock(process_registry_mutex());
    const int error = ::posix_spawnp(&process.pid, argv[0].c_str(), &setup.actions,
                                     &setup.attributes, argv_pointers.data(), env_pointers.data());
    if (error == 0) register_group_locked(process.pid);
    pthread_sigmask(SIG_SETMASK, &previous, nullptr);
    if (error != 0) {
      throw std::runtime_error("cannot start '" + argv[0] + "': " + std::strerror(error));
    }
  }
  process.pidfd = open_pidfd(process.pid);
  if (process.pidfd < 0) {
    const int error = errno;
    ::kill(-process.pid, SIGKILL);
    kill_leftovers(process.pid);
    unregister_group(process.pid);
    throw std::runtime_error(std::string("cannot watch the target (pidfd_open): ") +
                             std::strerror(error));
  }
  process.stdout_fd = out.release_read_end();
  process.stderr_fd = err.release_read_end();
  return process;
}

}  // namespace harness
