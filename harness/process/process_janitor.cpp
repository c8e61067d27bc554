#include "process_janitor.h"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <stdexcept>

#include "process_containment.h"
#include "run_init_protocol.h"
#include "spawn_program.h"
#include "unique_fd.h"

namespace harness {

namespace {

// The janitor: started as early as the harness likes (start()), answered when the first run needs
// its folder (folder()), so its start-up overlaps the harness's own work.
class Janitor {
 public:
  void start() {
    std::call_once(started_, [this] { spawn_it(); });
  }

  const std::string& folder() {
    start();
    std::call_once(answered_, [this] { folder_ = wait_for_it(); });
    return folder_;
  }

  void remove(const std::string& folder) {
    const std::filesystem::path path(folder);
    if (!folder_.empty() && path.parent_path() == folder_ &&
        run_init::send_message(control_,
                               std::string(run_init::kRemove) + path.filename().string())) {
      return;
    }
    std::error_code ignored;
    std::filesystem::remove_all(folder, ignored);
  }

 private:
  void spawn_it() {
    const char* tmp = std::getenv("TMPDIR");
    template_ =
        std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/superlink-harness-XXXXXX";
    int ends[2];
    if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, ends) != 0) {
      error_ = std::string("cannot create a socket pair: ") + std::strerror(errno);
      return;
    }
    UniqueFd ours(ends[0]);
    UniqueFd its(ends[1]);
    SpawnRequest request;
    request.argv = {run_init_binary(), "--janitor", template_};
    char* no_environment[] = {nullptr};  // nothing of the harness's: no test marker either
    request.envp = no_environment;
    request.fd3 = its.get();
    const pid_t pid = spawn(request);
    its.reset();
    if (pid < 0) {
      error_ = "cannot start '" + request.argv[0] + "': " + std::strerror(-pid);
      return;
    }
    // Our end stays open (close-on-exec) until this process ends: then the janitor removes it
    // all.
    control_ = ours.release();
  }

  std::string wait_for_it() {
    if (control_ < 0) throw std::runtime_error(error_);
    auto message = run_init::receive_message(control_);
    if (!message || !message->text.starts_with(run_init::kFolder)) {
      const int error = message && message->text.starts_with(run_init::kFailed)
                            ? std::atoi(message->text.c_str() + run_init::kFailed.size())
                            : 0;
      ::close(control_);
      throw std::runtime_error("cannot create a folder in " + template_ +
                               (error != 0 ? std::string(": ") + std::strerror(error) : ""));
    }
    return message->text.substr(run_init::kFolder.size());
  }

  std::once_flag started_;
  std::once_flag answered_;
  std::string template_;
  std::string error_;
  int control_ = -1;
  std::string folder_;
};

Janitor& janitor() {
  static Janitor instance;
  return instance;
}

}  // namespace

void start_run_folders_parent() {
  janitor().start();
}

const std::string& run_folders_parent() {
  return janitor().folder();
}

void remove_run_folder(const std::string& folder) {
  janitor().remove(folder);
}

}  // namespace harness
