// A small selector event loop, shaped like the one uvicorn runs on (Python's asyncio selector
// loop over an epoll selector): reader and writer callbacks per descriptor, level-triggered,
// timers, and a stop() any thread may call. Each iteration makes exactly one epoll_wait system
// call in the loop's thread and nothing else waits there, so a fault injected into that call
// (strace -e inject=epoll_wait:...) meets the loop as it meets asyncio's: a failed wait is not
// retried but raised, and the thread that runs the loop dies of it.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <unordered_map>

#include "superlink/flower/python_error.h"
#include "unique_fd.h"

namespace superlink {

// Python's OSError for `error`: message `[Errno N] strerror`, as str(OSError) reads.
PythonError os_error(int error);

// The loop's wait failed: raised from selectors.select in asyncio's _run_once, as Python raises
// it (an OSError); crash reports give it the frames of that call.
class SelectorWaitError : public PythonError {
 public:
  explicit SelectorWaitError(int error);
  int error() const { return error_; }

 private:
  int error_;
};

class SelectorLoop {
 public:
  using Callback = std::function<void()>;
  using Clock = std::chrono::steady_clock;
  using TimerId = std::uint64_t;

  // Throws std::system_error when the epoll or eventfd descriptor cannot be made.
  SelectorLoop();
  ~SelectorLoop();
  SelectorLoop(const SelectorLoop&) = delete;
  SelectorLoop& operator=(const SelectorLoop&) = delete;

  // Called in the loop's thread only. `fd` must stay open until its callbacks are removed.
  // Adding a reader (writer) to a descriptor that has one replaces it. Throws std::system_error
  // when epoll refuses the descriptor.
  void add_reader(int fd, Callback callback);
  void remove_reader(int fd);
  void add_writer(int fd, Callback callback);
  void remove_writer(int fd);

  // Runs `callback` once, `delay` from now, in the loop's thread; cancel() before it runs
  // drops it (cancelling a timer that ran or was cancelled is harmless).
  TimerId call_later(Clock::duration delay, Callback callback);
  void cancel(TimerId timer);

  // Runs until stop(): each iteration waits once (until a descriptor is ready, the next timer is
  // due, or stop() is called), runs the callbacks of the ready descriptors, then the due timers.
  // A wait interrupted by a signal (EINTR) is an iteration without events; any other failure
  // throws SelectorWaitError. An exception thrown by a callback leaves run() as it is.
  void run();

  // Makes run() return after the iteration under way (at once when it waits); from any thread,
  // at any time. A stop() before run() makes the next run() return at once.
  void stop();

  // The epoll descriptor (tests: to make the wait fail).
  int epoll_fd() const { return epoll_fd_.get(); }

 private:
  struct Handlers {
    Callback reader;
    Callback writer;
  };
  void update(int fd, const Handlers& handlers, bool was_registered);
  int timeout_ms() const;
  void run_due_timers();

  harness::UniqueFd epoll_fd_;
  harness::UniqueFd wake_fd_;  // eventfd written by stop(); closed before epoll_fd_
  std::atomic<bool> stop_requested_{false};
  std::unordered_map<int, Handlers> handlers_;
  std::map<std::pair<Clock::time_point, TimerId>, Callback> timers_;
  std::unordered_map<TimerId, Clock::time_point> timer_due_;
  TimerId next_timer_ = 1;
};

}  // namespace superlink
