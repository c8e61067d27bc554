#include "process_janitor.h"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

#include "process_containment.h"
#include "run_init_protocol.h"
#include "spawn_program.h"

namespace harness {

namespace {

std::string start_janitor() {
  const char* tmp = std::getenv("TMPDIR");
  const std::string folder_template =
      std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/superlink-harness-XXXXXX";
  int ends[2];
  if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, ends) != 0) {
    throw std::runtime_error(std::string("cannot create a socket pair: ") + std::strerror(errno));
  }
  SpawnRequest request;
  request.argv = {run_init_binary(), "--janitor", folder_template};
  char* no_environment[] = {nullptr};  // nothing of the harness's: no test marker either
  request.envp = no_environment;
  request.fd3 = ends[1];
  const pid_t pid = spawn(request);
  ::close(ends[1]);
  if (pid < 0) {
    ::close(ends[0]);
    throw std::runtime_error("cannot start '" + request.argv[0] + "': " + std::strerror(-pid));
  }
  // ends[0] stays open (close-on-exec) until this process ends: then the janitor removes it all.
  auto message = run_init::receive_message(ends[0]);
  if (!message || !message->text.starts_with(run_init::kFolder)) {
    const int error = message && message->text.starts_with(run_init::kFailed)
                          ? std::atoi(message->text.c_str() + run_init::kFailed.size())
                          : 0;
    ::close(ends[0]);
    throw std::runtime_error("cannot create a folder in " + folder_template +
                             (error != 0 ? std::string(": ") + std::strerror(error) : ""));
  }
  return message->text.substr(run_init::kFolder.size());
}

}  // namespace

const std::string& run_folders_parent() {
  static const std::string parent = start_janitor();
  return parent;
}

}  // namespace harness
