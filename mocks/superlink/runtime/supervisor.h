// Starts the critical threads and tells the main thread, the moment it happens, that one of
// them is ready or has stopped, or that a termination signal arrived. The main thread waits on
// a single condition: no polling interval stands between a crash and the exit.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace superlink {

struct SupervisorEvent {
  enum class Kind { kThreadReady, kThreadStopped, kSignal };
  Kind kind = Kind::kSignal;
  std::string thread;  // kThreadReady, kThreadStopped
  std::string cause;   // kThreadStopped: the exception's text, or kStoppedQuietly
  int signal = 0;      // kSignal
};

// The cause of a thread that returned instead of throwing.
inline constexpr const char* kStoppedQuietly = "stopped without an error";

class Supervisor {
 public:
  Supervisor() = default;
  Supervisor(const Supervisor&) = delete;
  Supervisor& operator=(const Supervisor&) = delete;
  // Joins the threads; they must be on their way out (tests). The process itself leaves with
  // _exit and never gets here.
  ~Supervisor();

  // Runs `body` in a new thread named `name` (pthread name, 15 characters at most). When the
  // body returns or throws, a kThreadStopped event carries the name and the cause.
  void start(const std::string& name, std::function<void()> body);

  // Called from a critical thread once it runs (and has bound what it serves).
  void mark_ready(const std::string& name);
  // Called by the signal thread.
  void notify_signal(int signo);

  // Called from a critical thread the moment its death is decided (a panic caught while it
  // still has to unwind): posts its kThreadStopped now, so a signal that arrives while it
  // unwinds queues behind the crash instead of overtaking it. Its exit then posts nothing.
  void report_stopping(const std::string& name, const std::string& cause);

  // Called in any thread the moment its death is certain but before anything outside can know
  // (the failpoint panic handler, before the firing is journalled); does nothing outside a
  // supervised thread. Until that thread's kThreadStopped is posted, signals are held and then
  // queued behind it, so a signal sent on the journal line cannot overtake the crash. The
  // thread must then end or call report_stopping.
  static void current_thread_dying();

  // With an interval, a stopped thread is reported only at the next tick of a fixed schedule
  // (interval, 2 * interval, ... after the first wait()), as a loop of sleep(interval) and
  // is_alive() checks sees it; ready and signal events still come at once. Call before wait().
  void set_poll_interval(std::chrono::milliseconds interval);

  // Blocks until an event is due and returns the oldest one.
  SupervisorEvent wait();

  // Joins the thread `name` after its kThreadStopped event (it posts that event last, so this
  // returns at once). Keeps a stopped thread from outliving the exit block as a zombie thread.
  void join(const std::string& name);

  // Names of the threads started so far, in start order.
  std::vector<std::string> thread_names() const;

 private:
  void post(SupervisorEvent event);
  // Posts a kThreadStopped for `name` unless one was posted already.
  void post_stopped(const std::string& name, const std::string& cause);

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<SupervisorEvent> events_;
  std::chrono::milliseconds poll_interval_{0};  // 0: no polling
  std::chrono::steady_clock::time_point next_poll_{};
  std::vector<std::string> names_;
  std::vector<std::string> stopped_;           // threads whose kThreadStopped was posted
  std::vector<std::string> dying_;             // certain to stop, kThreadStopped not posted yet
  std::vector<SupervisorEvent> held_signals_;  // arrived while a thread was dying
  std::vector<std::thread> threads_;
};

}  // namespace superlink
