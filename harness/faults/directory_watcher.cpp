#include "directory_watcher.h"

#include <sys/inotify.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <tuple>
#include <utility>

namespace harness {
namespace {

// The process's instance and the thread that reads it. Never destroyed: the thread blocks in
// read() for the life of the process, and a run may end during static destruction.
class Watcher {
 public:
  static Watcher& get() {
    static Watcher* watcher = new Watcher;
    return *watcher;
  }

  std::pair<int, std::uint64_t> add(const std::string& dir, std::uint32_t mask,
                                    std::function<void()> on_change) {
    std::lock_guard lock(mutex_);
    if (fd_ < 0) open_instance();
    // IN_MASK_ADD: a second watch of the same directory widens the mask instead of replacing it.
    const int wd = ::inotify_add_watch(fd_, dir.c_str(), mask | IN_MASK_ADD);
    if (wd < 0) throw std::runtime_error("cannot watch " + dir + ": " + std::strerror(errno));
    const std::uint64_t id = next_id_++;
    subscribers_[wd][id] = std::move(on_change);
    return {wd, id};
  }

  void remove(int wd, std::uint64_t id) {
    std::lock_guard lock(mutex_);
    auto it = subscribers_.find(wd);
    if (it == subscribers_.end()) return;
    it->second.erase(id);
    if (!it->second.empty()) return;
    subscribers_.erase(it);
    // Events still queued for wd arrive with it and find no subscriber: wds are not reused.
    ::inotify_rm_watch(fd_, wd);
  }

 private:
  Watcher() = default;

  // On first use, and again after a failure: the limit may have room by the next run.
  void open_instance() {
    const int fd = ::inotify_init1(IN_CLOEXEC);
    if (fd < 0) {
      const int error = errno;
      throw std::runtime_error(
          std::string("inotify: ") + std::strerror(error) +
          (error == EMFILE ? " (fs.inotify.max_user_instances or the descriptor limit)" : ""));
    }
    fd_ = fd;
    std::thread([this, fd] { read_forever(fd); }).detach();
  }

  void read_forever(int fd) {
    alignas(inotify_event) std::array<char, 64 * 1024> buffer;  // only what read() returns is used
    for (;;) {
      const ssize_t size = ::read(fd, buffer.data(), buffer.size());
      if (size <= 0) {
        if (size < 0 && errno == EINTR) continue;
        return;  // the instance is unusable; the runs fall back on their deadlines
      }
      std::set<int> changed;
      bool overflowed = false;
      for (ssize_t at = 0; at < size;) {
        const auto* event = reinterpret_cast<const inotify_event*>(buffer.data() + at);
        changed.insert(event->wd);
        overflowed = overflowed || (event->mask & IN_Q_OVERFLOW) != 0;
        at += static_cast<ssize_t>(sizeof(inotify_event) + event->len);
      }
      // Under the lock: remove() returning means no call is running or will start.
      std::lock_guard lock(mutex_);
      // The kernel dropped events (the queue was full): whose, it does not say, so every watch
      // looks at its files again.
      for (auto& [wd, calls] : subscribers_) {
        if (!overflowed && !changed.contains(wd)) continue;
        for (auto& [id, on_change] : calls) on_change();
      }
    }
  }

  std::mutex mutex_;
  int fd_ = -1;
  std::uint64_t next_id_ = 0;
  std::map<int, std::map<std::uint64_t, std::function<void()>>> subscribers_;
};

}  // namespace

DirectoryWatch::DirectoryWatch(const std::string& dir, std::uint32_t mask,
                               std::function<void()> on_change) {
  std::tie(wd_, id_) = Watcher::get().add(dir, mask, std::move(on_change));
}

DirectoryWatch::~DirectoryWatch() {
  Watcher::get().remove(wd_, id_);
}

}  // namespace harness
