#include "superlink/runtime/superexec_launcher.h"

#include <unistd.h>

#include <system_error>
#include <vector>

#include "child_environment.h"
#include "spawn_program.h"

namespace superlink {
namespace {

// This process's environment without FAILPOINTS and SUPERLINK_FAULT_JOURNAL, then those two as
// given (when not empty).
harness::ChildEnvironment child_environment(const std::string& failpoints,
                                            const std::string& fault_journal) {
  harness::ChildEnvironment env = harness::ChildEnvironment::inherited();
  env.unset("FAILPOINTS").unset("SUPERLINK_FAULT_JOURNAL");
  if (!failpoints.empty()) env.set("FAILPOINTS", failpoints);
  if (!fault_journal.empty()) env.set("SUPERLINK_FAULT_JOURNAL", fault_journal);
  return env;
}

}  // namespace

void spawn_superexec(const std::string& executable, const std::string& appio_address,
                     const std::string& failpoints, const std::string& fault_journal) {
  harness::ChildEnvironment env = child_environment(failpoints, fault_journal);
  harness::SpawnRequest request;  // default signals, empty mask; the SuperLink's streams and group
  request.argv = {executable,      "--insecure", "--appio-api-address", appio_address,
                  "--plugin-type", "serverapp",  "--parent-pid",        std::to_string(::getpid())};
  request.envp = env.envp();
  request.own_process_group = false;
  const pid_t pid = harness::spawn(request);
  if (pid < 0) throw std::system_error(-pid, std::generic_category(), "spawn " + executable);
}

}  // namespace superlink
