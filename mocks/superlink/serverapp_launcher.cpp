#include "superlink/serverapp_launcher.h"

#include <spawn.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <system_error>
#include <vector>

extern char** environ;

namespace superlink {

std::string sibling_executable(const std::string& name) {
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe");
  return (self.parent_path() / name).string();
}

pid_t spawn_serverapp(const std::string& executable, const std::string& serverappio_address) {
  std::vector<std::string> args{executable, "--run-once", "--serverappio-api-address",
                                serverappio_address, "--insecure"};
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);

  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t empty;
  sigemptyset(&empty);
  sigset_t defaults;
  sigemptyset(&defaults);
  for (int signo : {SIGINT, SIGQUIT, SIGTERM, SIGPIPE}) sigaddset(&defaults, signo);
  posix_spawnattr_setsigmask(&attr, &empty);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  pid_t pid = 0;
  const int error = posix_spawn(&pid, executable.c_str(), nullptr, &attr, argv.data(), environ);
  posix_spawnattr_destroy(&attr);
  if (error != 0) throw std::system_error(error, std::generic_category(), "spawn " + executable);
  return pid;
}

}  // namespace superlink
