#include "superlink/supervisor.h"

#include <pthread.h>

#include "failpoint/failpoint.h"

namespace superlink {

std::string describe_exception(std::exception_ptr error) {
  try {
    std::rethrow_exception(error);
  } catch (const failpoint::Panic& panic) {
    return panic.message().empty() ? panic.what() : panic.message();
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "unknown exception";
  }
}

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
    SupervisorEvent stopped{SupervisorEvent::Kind::kThreadStopped, name, kStoppedQuietly, 0};
    try {
      body();
    } catch (...) {
      stopped.cause = describe_exception(std::current_exception());
    }
    post(std::move(stopped));
  });
}

void Supervisor::mark_ready(const std::string& name) {
  post({SupervisorEvent::Kind::kThreadReady, name, "", 0});
}

void Supervisor::notify_signal(int signo) {
  post({SupervisorEvent::Kind::kSignal, "", "", signo});
}

SupervisorEvent Supervisor::wait() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [this] { return !events_.empty(); });
  SupervisorEvent event = std::move(events_.front());
  events_.pop_front();
  return event;
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

void Supervisor::post(SupervisorEvent event) {
  {
    std::lock_guard lock(mutex_);
    events_.push_back(std::move(event));
  }
  changed_.notify_all();
}

}  // namespace superlink
