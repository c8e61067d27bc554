// Change notifications for a directory, from one inotify instance shared by every run in the
// process. The kernel allows a user 128 instances (fs.inotify.max_user_instances): one per run
// ran out with two catalogues at --jobs 85 side by side. One instance also spares each run the
// SRCU grace period that closing an instance costs.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace harness {

// Watches `dir` for `mask` (inotify IN_* bits) while it lives. `on_change` is called on the
// watcher's own thread, once per batch of events on `dir`; it must be quick (post to the caller's
// executor). Several watches of one directory each get their calls; when the kernel's queue
// overflowed (events dropped, whose unknown), every watch gets one.
class DirectoryWatch {
 public:
  // Throws std::runtime_error naming the directory (or inotify) when the watch cannot be set.
  DirectoryWatch(const std::string& dir, std::uint32_t mask, std::function<void()> on_change);
  // When it returns, on_change is not running and is never called again.
  ~DirectoryWatch();
  DirectoryWatch(const DirectoryWatch&) = delete;
  DirectoryWatch& operator=(const DirectoryWatch&) = delete;

 private:
  int wd_;
  std::uint64_t id_;
};

}  // namespace harness
