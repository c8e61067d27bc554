// The shared inotify watcher, on real folders: who gets called, and that a destroyed watch is
// never called again.
#include "directory_watcher.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/inotify.h>

#include <chrono>
#include <condition_variable>
#include <fstream>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <vector>

#include "test_support/test_directory.h"

namespace harness {
namespace {

using superlink::test_support::TestDirectory;
using ::testing::HasSubstr;

// Counts calls; waits for a count without sleeping.
class Calls {
 public:
  std::function<void()> callback() {
    return [this] {
      std::lock_guard lock(mutex_);
      ++count_;
      changed_.notify_all();
    };
  }
  bool wait_for(int count) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, std::chrono::seconds(10), [&] { return count_ >= count; });
  }
  int count() {
    std::lock_guard lock(mutex_);
    return count_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  int count_ = 0;
};

void write_file(const std::filesystem::path& path) {
  std::ofstream(path) << "x";
}

TEST(DirectoryWatch, CallsTheWatchOfTheFolderThatChanged) {
  TestDirectory a("watch-a");
  TestDirectory b("watch-b");
  Calls on_a;
  Calls on_b;
  DirectoryWatch watch_a(a.path().string(), IN_CLOSE_WRITE, on_a.callback());
  DirectoryWatch watch_b(b.path().string(), IN_CLOSE_WRITE, on_b.callback());
  write_file(b / "one");
  ASSERT_TRUE(on_b.wait_for(1));
  write_file(a / "two");
  ASSERT_TRUE(on_a.wait_for(1));
  // b's change was delivered before a's was made, and a saw none then.
  EXPECT_EQ(on_a.count(), 1);
}

TEST(DirectoryWatch, TwoWatchesOfOneFolderBothGetCalled) {
  TestDirectory dir("watch-twice");
  Calls first;
  Calls second;
  DirectoryWatch one(dir.path().string(), IN_CLOSE_WRITE, first.callback());
  DirectoryWatch two(dir.path().string(), IN_MOVED_TO, second.callback());
  write_file(dir / "tmp");
  std::filesystem::rename(dir / "tmp", dir / "ready.json");
  EXPECT_TRUE(first.wait_for(1));
  EXPECT_TRUE(second.wait_for(1));
}

TEST(DirectoryWatch, ADestroyedWatchIsNotCalledAndItsFolderStillWatchedByTheOther) {
  TestDirectory dir("watch-gone");
  Calls gone;
  Calls kept;
  auto first =
      std::make_unique<DirectoryWatch>(dir.path().string(), IN_CLOSE_WRITE, gone.callback());
  DirectoryWatch second(dir.path().string(), IN_CLOSE_WRITE, kept.callback());
  first.reset();
  write_file(dir / "after");
  ASSERT_TRUE(kept.wait_for(1));
  EXPECT_EQ(gone.count(), 0);
}

// The regression: one inotify instance per run ran out at 128 (the default per-user limit).
TEST(DirectoryWatch, MoreWatchesThanThePerUserInstanceLimit) {
  constexpr int kWatches = 300;
  std::vector<std::unique_ptr<TestDirectory>> dirs;
  std::vector<std::unique_ptr<DirectoryWatch>> watches;
  Calls calls;
  for (int i = 0; i < kWatches; ++i) {
    dirs.push_back(std::make_unique<TestDirectory>("watch-many"));
    watches.push_back(std::make_unique<DirectoryWatch>(dirs.back()->path().string(), IN_CLOSE_WRITE,
                                                       calls.callback()));
  }
  for (const auto& dir : dirs) write_file(*dir / "f");
  EXPECT_TRUE(calls.wait_for(kWatches));
}

// When the kernel's queue overflows it drops events without saying whose: every watch is called.
TEST(DirectoryWatch, AnOverflowedQueueCallsEveryWatch) {
  int queue_limit = 0;
  std::ifstream("/proc/sys/fs/inotify/max_queued_events") >> queue_limit;
  if (queue_limit <= 0 || queue_limit > 100000) GTEST_SKIP() << "queue limit " << queue_limit;
  TestDirectory busy("watch-busy");
  TestDirectory quiet("watch-quiet");
  // The busy watch's first call holds the watcher's thread, so the queue fills up meanwhile.
  std::mutex mutex;
  std::condition_variable changed;
  bool holding = false;
  bool released = false;
  DirectoryWatch busy_watch(busy.path().string(), IN_CLOSE_WRITE, [&] {
    std::unique_lock lock(mutex);
    if (released) return;
    holding = true;
    changed.notify_all();
    changed.wait(lock, [&] { return released; });
  });
  Calls on_quiet;
  DirectoryWatch quiet_watch(quiet.path().string(), IN_CLOSE_WRITE, on_quiet.callback());
  write_file(busy / "first");
  {
    std::unique_lock lock(mutex);
    ASSERT_TRUE(changed.wait_for(lock, std::chrono::seconds(10), [&] { return holding; }));
  }
  for (int i = 0; i <= queue_limit; ++i) write_file(busy / std::to_string(i));
  {
    std::lock_guard lock(mutex);
    released = true;
    changed.notify_all();
  }
  EXPECT_TRUE(on_quiet.wait_for(1));
}

TEST(DirectoryWatch, AMissingFolderIsAnErrorNamingIt) {
  try {
    DirectoryWatch watch("/nonexistent/watch-me", IN_CLOSE_WRITE, [] {});
    FAIL() << "no exception";
  } catch (const std::runtime_error& error) {
    EXPECT_THAT(error.what(), HasSubstr("cannot watch /nonexistent/watch-me: No such file"));
  }
}

}  // namespace
}  // namespace harness
