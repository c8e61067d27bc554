#include "spawn_program.h"

#include <spawn.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>

extern char** environ;

namespace harness {

namespace {

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

pid_t spawn(const SpawnRequest& request) {
  if (request.argv.empty()) return -EINVAL;
  SpawnSetup setup;
  if (request.stdin_fd >= 0) {
    posix_spawn_file_actions_adddup2(&setup.actions, request.stdin_fd, STDIN_FILENO);
  }
  if (request.stdout_fd >= 0) {
    posix_spawn_file_actions_adddup2(&setup.actions, request.stdout_fd, STDOUT_FILENO);
  }
  if (request.stderr_fd >= 0) {
    posix_spawn_file_actions_adddup2(&setup.actions, request.stderr_fd, STDERR_FILENO);
  }
  if (request.fd3 >= 0) posix_spawn_file_actions_adddup2(&setup.actions, request.fd3, 3);
  if (request.working_dir != nullptr) {
    posix_spawn_file_actions_addchdir_np(&setup.actions, request.working_dir);
  }
  // Nothing of this process's signal mask, handlers or ignored signals carries over.
  sigset_t empty;
  sigemptyset(&empty);
  sigset_t all;
  sigfillset(&all);
  short flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
  if (request.own_process_group) flags |= POSIX_SPAWN_SETPGROUP;
  posix_spawnattr_setflags(&setup.attributes, flags);
  posix_spawnattr_setpgroup(&setup.attributes, 0);
  posix_spawnattr_setsigmask(&setup.attributes, &empty);
  posix_spawnattr_setsigdefault(&setup.attributes, &all);

  std::vector<std::string> args = request.argv;
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int error = ::posix_spawnp(&pid, argv[0], &setup.actions, &setup.attributes, argv.data(),
                                   request.envp != nullptr ? request.envp : environ);
  return error == 0 ? pid : -error;
}

std::optional<std::string> find_on_path(std::string_view program) {
  const char* path = std::getenv("PATH");
  std::string_view rest = path == nullptr ? "" : path;
  while (!rest.empty()) {
    const std::size_t colon = rest.find(':');
    const std::string_view dir = rest.substr(0, colon);
    rest = colon == std::string_view::npos ? std::string_view{} : rest.substr(colon + 1);
    if (dir.empty()) continue;
    std::string candidate = std::string(dir) + "/" + std::string(program);
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return std::nullopt;
}

}  // namespace harness
