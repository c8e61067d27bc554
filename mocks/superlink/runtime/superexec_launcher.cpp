#include "superlink/runtime/superexec_launcher.h"

#include <unistd.h>

#include <string_view>
#include <system_error>
#include <vector>

#include "spawn_program.h"

extern char** environ;

namespace superlink {
namespace {

// This process's environment without FAILPOINTS and SUPERLINK_FAULT_JOURNAL, then those two as
// given (when not empty).
std::vector<std::string> child_environment(const std::string& failpoints,
                                           const std::string& fault_journal) {
  std::vector<std::string> env;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string_view text = *entry;
    if (text.starts_with("FAILPOINTS=") || text.starts_with("SUPERLINK_FAULT_JOURNAL=")) continue;
    env.emplace_back(text);
  }
  if (!failpoints.empty()) env.push_back("FAILPOINTS=" + failpoints);
  if (!fault_journal.empty()) env.push_back("SUPERLINK_FAULT_JOURNAL=" + fault_journal);
  return env;
}

}  // namespace

void spawn_superexec(const std::string& executable, const std::string& appio_address,
                     const std::string& failpoints, const std::string& fault_journal) {
  std::vector<std::string> env = child_environment(failpoints, fault_journal);
  std::vector<char*> envp;
  for (std::string& entry : env) envp.push_back(entry.data());
  envp.push_back(nullptr);
  harness::SpawnRequest request;  // default signals, empty mask; the SuperLink's streams and group
  request.argv = {executable,      "--insecure", "--appio-api-address", appio_address,
                  "--plugin-type", "serverapp",  "--parent-pid",        std::to_string(::getpid())};
  request.envp = envp.data();
  request.own_process_group = false;
  const pid_t pid = harness::spawn(request);
  if (pid < 0) throw std::system_error(-pid, std::generic_category(), "spawn " + executable);
}

}  // namespace superlink
