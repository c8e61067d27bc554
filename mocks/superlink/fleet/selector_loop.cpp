#include "superlink/fleet/selector_loop.h"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <system_error>

namespace superlink {
namespace {

// Events taken per wait; more ready descriptors are taken by the next iteration's wait.
constexpr int kMaxEvents = 256;

std::uint32_t interest(const SelectorLoop::Callback& reader, const SelectorLoop::Callback& writer) {
  return (reader ? EPOLLIN : 0u) | (writer ? EPOLLOUT : 0u);
}

}  // namespace

PythonError os_error(int error) {
  return PythonError("OSError", "[Errno " + std::to_string(error) + "] " + std::strerror(error));
}

SelectorWaitError::SelectorWaitError(int error) : PythonError(os_error(error)), error_(error) {}

SelectorLoop::SelectorLoop() {
  epoll_fd_.reset(::epoll_create1(EPOLL_CLOEXEC));
  if (!epoll_fd_) throw std::system_error(errno, std::generic_category(), "epoll_create1");
  wake_fd_.reset(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC));
  if (!wake_fd_) throw std::system_error(errno, std::generic_category(), "eventfd");
  epoll_event event{};
  event.events = EPOLLIN;
  event.data.fd = wake_fd_.get();
  if (::epoll_ctl(epoll_fd_.get(), EPOLL_CTL_ADD, wake_fd_.get(), &event) != 0) {
    throw std::system_error(errno, std::generic_category(), "epoll_ctl");
  }
}

SelectorLoop::~SelectorLoop() = default;

void SelectorLoop::update(int fd, const Handlers& handlers, bool was_registered) {
  const std::uint32_t events = interest(handlers.reader, handlers.writer);
  if (events == 0) {
    // The descriptor may already be closed by its owner: nothing left to take out then.
    if (was_registered) ::epoll_ctl(epoll_fd_.get(), EPOLL_CTL_DEL, fd, nullptr);
    handlers_.erase(fd);
    return;
  }
  epoll_event event{};
  event.events = events;
  event.data.fd = fd;
  if (::epoll_ctl(epoll_fd_.get(), was_registered ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, fd, &event) !=
      0) {
    const int error = errno;
    if (!was_registered) handlers_.erase(fd);
    throw std::system_error(error, std::generic_category(), "epoll_ctl");
  }
}

void SelectorLoop::add_reader(int fd, Callback callback) {
  const bool registered = handlers_.contains(fd);
  Handlers& handlers = handlers_[fd];
  handlers.reader = std::move(callback);
  update(fd, handlers, registered);
}

void SelectorLoop::remove_reader(int fd) {
  const auto found = handlers_.find(fd);
  if (found == handlers_.end() || !found->second.reader) return;
  found->second.reader = nullptr;
  update(fd, found->second, true);
}

void SelectorLoop::add_writer(int fd, Callback callback) {
  const bool registered = handlers_.contains(fd);
  Handlers& handlers = handlers_[fd];
  handlers.writer = std::move(callback);
  update(fd, handlers, registered);
}

void SelectorLoop::remove_writer(int fd) {
  const auto found = handlers_.find(fd);
  if (found == handlers_.end() || !found->second.writer) return;
  found->second.writer = nullptr;
  update(fd, found->second, true);
}

SelectorLoop::TimerId SelectorLoop::call_later(Clock::duration delay, Callback callback) {
  const TimerId id = next_timer_++;
  const Clock::time_point due = Clock::now() + delay;
  timers_.emplace(std::pair{due, id}, std::move(callback));
  timer_due_.emplace(id, due);
  return id;
}

void SelectorLoop::cancel(TimerId timer) {
  const auto found = timer_due_.find(timer);
  if (found == timer_due_.end()) return;
  timers_.erase({found->second, timer});
  timer_due_.erase(found);
}

void SelectorLoop::stop() {
  stop_requested_.store(true);
  const std::uint64_t one = 1;
  // A full counter (never, in practice) still wakes the wait: the descriptor stays readable.
  [[maybe_unused]] const ssize_t written = ::write(wake_fd_.get(), &one, sizeof one);
}

// asyncio's: until the first timer is due, rounded up to the millisecond; forever without one.
int SelectorLoop::timeout_ms() const {
  if (timers_.empty()) return -1;
  const auto wait = timers_.begin()->first.first - Clock::now();
  if (wait <= Clock::duration::zero()) return 0;
  const auto ms = std::chrono::ceil<std::chrono::milliseconds>(wait).count();
  return ms > 24 * 3600 * 1000 ? 24 * 3600 * 1000 : static_cast<int>(ms);
}

void SelectorLoop::run_due_timers() {
  // Only the timers due now: one that a callback adds for "now" waits for the next iteration.
  const Clock::time_point now = Clock::now();
  while (!timers_.empty() && timers_.begin()->first.first <= now) {
    const auto first = timers_.begin();
    Callback callback = std::move(first->second);
    timer_due_.erase(first->first.second);
    timers_.erase(first);
    callback();
  }
}

void SelectorLoop::run() {
  std::array<epoll_event, kMaxEvents> events{};
  while (!stop_requested_.load()) {
    // The one wait of the iteration.
    const int ready = ::epoll_wait(epoll_fd_.get(), events.data(), kMaxEvents, timeout_ms());
    if (ready < 0 && errno != EINTR) throw SelectorWaitError(errno);
    for (int i = 0; i < ready; ++i) {
      const int fd = events[i].data.fd;
      const std::uint32_t what = events[i].events;
      if (fd == wake_fd_.get()) {
        std::uint64_t count = 0;
        [[maybe_unused]] const ssize_t read = ::read(wake_fd_.get(), &count, sizeof count);
        continue;
      }
      // Like Python's epoll selector: a hang-up or an error wakes both directions. A callback is
      // looked up when it runs (an earlier one may have removed it) and run from a copy (it may
      // remove itself).
      if (what & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
        const auto found = handlers_.find(fd);
        if (found != handlers_.end() && found->second.reader) {
          Callback reader = found->second.reader;
          reader();
        }
      }
      if (what & (EPOLLOUT | EPOLLHUP | EPOLLERR)) {
        const auto found = handlers_.find(fd);
        if (found != handlers_.end() && found->second.writer) {
          Callback writer = found->second.writer;
          writer();
        }
      }
    }
    run_due_timers();
  }
}

}  // namespace superlink
