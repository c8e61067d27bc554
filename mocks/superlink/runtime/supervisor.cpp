#include "superlink/runtime/supervisor.h"

#include <pthread.h>

#include <algorithm>

#include "failpoint/failpoint.h"
#include "superlink/fleet/crash_report.h"

namespace superlink {
namespace {
// The supervisor and name of the supervised thread this is, for current_thread_dying().
thread_local Supervisor* t_supervisor = nullptr;
thread_local const std::string* t_name = nullptr;
}  // namespace

Supervisor::~Supervisor() {
  for (auto& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
}

void Supervisor::start(const std::string& name, std::function<void()> body) {
  std::lock_guard lock(mutex_);
  names_.push_back(name);
  threads_.emplace_back([this, name, body = std::move(body)] {
    pthread_setname_np(pthread_self(), name.substr(0, 15).c_str());
    t_supervisor = this;
    t_name = &name;
    std::string cause = kStoppedQuietly;
    try {
      body();
    } catch (...) {
      cause = describe_exception(std::current_exception());
    }
    post_stopped(name, cause);
  });
}

void Supervisor::mark_ready(const std::string& name) {
  post({SupervisorEvent::Kind::kThreadReady, name, "", 0});
}

void Supervisor::notify_signal(int signo) {
  {
    std::lock_guard lock(mutex_);
    if (!dying_.empty()) {
      held_signals_.push_back({SupervisorEvent::Kind::kSignal, "", "", signo});
      return;
    }
  }
  post({SupervisorEvent::Kind::kSignal, "", "", signo});
}

void Supervisor::current_thread_dying() {
  if (t_supervisor == nullptr) return;
  Supervisor& self = *t_supervisor;
  const std::lock_guard lock(self.mutex_);
  const auto& stopped = self.stopped_;
  if (std::find(stopped.begin(), stopped.end(), *t_name) != stopped.end()) return;
  if (std::find(self.dying_.begin(), self.dying_.end(), *t_name) == self.dying_.end()) {
    self.dying_.push_back(*t_name);
  }
}

void Supervisor::report_stopping(const std::string& name, const std::string& cause) {
  post_stopped(name, cause);
}

void Supervisor::set_poll_interval(std::chrono::milliseconds interval) {
  std::lock_guard lock(mutex_);
  poll_interval_ = interval;
}

SupervisorEvent Supervisor::wait() {
  std::unique_lock lock(mutex_);
  if (poll_interval_.count() == 0) {
    changed_.wait(lock, [this] { return !events_.empty(); });
    SupervisorEvent event = std::move(events_.front());
    events_.pop_front();
    return event;
  }
  using Clock = std::chrono::steady_clock;
  if (next_poll_ == Clock::time_point{}) next_poll_ = Clock::now() + poll_interval_;
  for (;;) {
    auto due = std::find_if(events_.begin(), events_.end(), [](const SupervisorEvent& e) {
      return e.kind != SupervisorEvent::Kind::kThreadStopped;
    });
    if (due == events_.end() && Clock::now() >= next_poll_) {
      next_poll_ += poll_interval_;
      due = events_.begin();  // the poll sees every thread that stopped before it
    }
    if (due != events_.end()) {
      SupervisorEvent event = std::move(*due);
      events_.erase(due);
      return event;
    }
    changed_.wait_until(lock, next_poll_);
  }
}

void Supervisor::join(const std::string& name) {
  std::thread* thread = nullptr;
  {
    std::lock_guard lock(mutex_);
    for (std::size_t i = 0; i < names_.size(); ++i) {
      if (names_[i] == name) thread = &threads_[i];
    }
  }
  if (thread != nullptr && thread->joinable()) thread->join();
}

std::vector<std::string> Supervisor::thread_names() const {
  std::lock_guard lock(mutex_);
  return names_;
}

void Supervisor::post_stopped(const std::string& name, const std::string& cause) {
  {
    std::lock_guard lock(mutex_);
    if (std::find(stopped_.begin(), stopped_.end(), name) != stopped_.end()) return;
    stopped_.push_back(name);
    events_.push_back({SupervisorEvent::Kind::kThreadStopped, name, cause, 0});
    std::erase(dying_, name);
    if (dying_.empty()) {
      for (auto& signal : held_signals_) events_.push_back(std::move(signal));
      held_signals_.clear();
    }
  }
  changed_.notify_all();
}

void Supervisor::post(SupervisorEvent event) {
  {
    std::lock_guard lock(mutex_);
    events_.push_back(std::move(event));
  }
  changed_.notify_all();
}

}  // namespace superlink
