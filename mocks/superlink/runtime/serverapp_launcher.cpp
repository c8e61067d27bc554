#include "superlink/runtime/serverapp_launcher.h"

#include <unistd.h>

#include <filesystem>
#include <system_error>
#include <vector>

#include "spawn_program.h"

namespace superlink {

std::string sibling_executable(const std::string& name) {
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe");
  return (self.parent_path() / name).string();
}

std::string superexec_executable() {
  const std::string beside = sibling_executable("flower-superexec");
  std::error_code ignored;
  if (std::filesystem::exists(beside, ignored)) return beside;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ignored);
  return (self.parent_path() / SUPERLINK_BIN_TO_PERSONA / "flower-superexec").lexically_normal();
}

pid_t spawn_serverapp(const std::string& executable, const std::string& serverappio_address) {
  std::vector<std::string> args{executable, "--run-once", "--serverappio-api-address",
                                serverappio_address, "--insecure"};
  harness::SpawnRequest request;  // default signals, empty mask; the mock's streams and group
  request.argv = std::move(args);
  request.own_process_group = false;
  const pid_t pid = harness::spawn(request);
  if (pid < 0) throw std::system_error(-pid, std::generic_category(), "spawn " + executable);
  return pid;
}

}  // namespace superlink
