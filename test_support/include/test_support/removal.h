// Waiting, without sleeping, until something removes a file or folder: on inotify's events for
// the folder that holds it.
#pragma once

#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>

namespace superlink::test_support {

// True once `path` no longer exists; false if it still does after `bound`.
inline bool removed_within(const std::filesystem::path& path, std::chrono::milliseconds bound) {
  const int inotify = ::inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
  if (inotify < 0) return false;
  // Watched first, looked at second: a removal in between is still an event.
  const bool watched = ::inotify_add_watch(inotify, path.parent_path().c_str(),
                                           IN_DELETE | IN_MOVED_FROM | IN_DELETE_SELF) >= 0;
  const auto until = std::chrono::steady_clock::now() + bound;
  bool gone = !std::filesystem::exists(path);
  while (watched && !gone) {
    const auto left =
        std::chrono::ceil<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
    pollfd ready{inotify, POLLIN, 0};
    if (left.count() <= 0 || ::poll(&ready, 1, static_cast<int>(left.count())) != 1) break;
    alignas(inotify_event) char events[4096];
    while (::read(inotify, events, sizeof events) > 0) {
    }
    gone = !std::filesystem::exists(path);
  }
  ::close(inotify);
  return gone;
}

}  // namespace superlink::test_support
