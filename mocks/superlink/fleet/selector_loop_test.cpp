#include "superlink/fleet/selector_loop.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <future>
#include <string>
#include <thread>
#include <vector>

namespace superlink {
namespace {

using namespace std::chrono_literals;

// A connected pair of non-blocking stream sockets, closed at the end of the test.
struct SocketPair {
  SocketPair() {
    EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds), 0);
  }
  ~SocketPair() {
    ::close(fds[0]);
    ::close(fds[1]);
  }
  int fds[2] = {-1, -1};
};

TEST(SelectorLoop, ReaderRunsWhenDataArrivesAndStopsBeingCalledOnceRemoved) {
  SelectorLoop loop;
  SocketPair pair;
  std::string received;
  int calls = 0;
  loop.add_reader(pair.fds[0], [&] {
    ++calls;
    char buffer[16];
    const ssize_t n = ::read(pair.fds[0], buffer, sizeof buffer);
    if (n > 0) received.append(buffer, static_cast<std::size_t>(n));
    loop.remove_reader(pair.fds[0]);
    // More data now would call a reader that is still there at the next wait.
    ASSERT_EQ(::write(pair.fds[1], "more", 4), 4);
    loop.call_later(0ms, [&] { loop.stop(); });
  });
  ASSERT_EQ(::write(pair.fds[1], "ping", 4), 4);
  loop.run();
  EXPECT_EQ(received, "ping");
  EXPECT_EQ(calls, 1);
}

TEST(SelectorLoop, WriterRunsWhileTheSocketTakesData) {
  SelectorLoop loop;
  SocketPair pair;
  int calls = 0;
  loop.add_writer(pair.fds[0], [&] {
    if (++calls == 3) {
      loop.remove_writer(pair.fds[0]);
      loop.stop();
    }
  });
  loop.run();
  EXPECT_EQ(calls, 3);
}

TEST(SelectorLoop, ReaderAndWriterOnOneDescriptorAreIndependent) {
  SelectorLoop loop;
  SocketPair pair;
  std::vector<std::string> order;
  loop.add_reader(pair.fds[0], [&] {
    order.push_back("reader");
    char byte = 0;
    ASSERT_EQ(::read(pair.fds[0], &byte, 1), 1);
    loop.remove_reader(pair.fds[0]);
    loop.stop();
  });
  loop.add_writer(pair.fds[0], [&] {
    order.push_back("writer");
    loop.remove_writer(pair.fds[0]);
    ASSERT_EQ(::write(pair.fds[1], "x", 1), 1);  // the reader is still registered
  });
  loop.run();
  EXPECT_EQ(order, (std::vector<std::string>{"writer", "reader"}));
}

TEST(SelectorLoop, TimersRunInTheOrderTheyAreDueAndCancelledOnesNever) {
  SelectorLoop loop;
  std::vector<int> order;
  loop.call_later(30ms, [&] {
    order.push_back(3);
    loop.stop();
  });
  const auto cancelled = loop.call_later(10ms, [&] { order.push_back(-1); });
  loop.call_later(20ms, [&] { order.push_back(2); });
  loop.call_later(0ms, [&] { order.push_back(1); });
  loop.cancel(cancelled);
  loop.cancel(cancelled);  // twice is harmless
  const auto started = SelectorLoop::Clock::now();
  loop.run();
  EXPECT_EQ(order, (std::vector<int>{1, 2, 3}));
  EXPECT_GE(SelectorLoop::Clock::now() - started, 30ms);
}

TEST(SelectorLoop, StopBeforeRunMakesRunReturnAtOnce) {
  SelectorLoop loop;
  int calls = 0;
  loop.call_later(0ms, [&] { ++calls; });
  loop.stop();
  loop.run();
  EXPECT_EQ(calls, 0);
}

// The loop waits with no timer and nothing ready: only stop()'s wake-up can end it.
TEST(SelectorLoop, StopFromAnotherThreadWakesTheWait) {
  SelectorLoop loop;
  std::promise<void> running;
  loop.call_later(0ms, [&] { running.set_value(); });
  std::thread thread([&] { loop.run(); });
  running.get_future().wait();
  loop.stop();
  thread.join();
  SUCCEED();
}

TEST(SelectorLoop, OsErrorReadsAsPythonsStr) {
  const PythonError error = os_error(EBADF);
  EXPECT_EQ(error.type(), "OSError");
  EXPECT_STREQ(error.what(), "[Errno 9] Bad file descriptor");
}

// The epoll descriptor replaced by one that is not an epoll instance: the next wait fails
// (EINVAL), and run() raises it instead of retrying.
TEST(SelectorLoop, AFailedWaitIsThrownAsAnOsError) {
  SelectorLoop loop;
  loop.call_later(0ms, [&] {
    const int null = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    ASSERT_GE(null, 0);
    ASSERT_EQ(::dup2(null, loop.epoll_fd()), loop.epoll_fd());
    ::close(null);
  });
  try {
    loop.run();
    FAIL() << "run() returned";
  } catch (const SelectorWaitError& e) {
    EXPECT_EQ(e.error(), EINVAL);
    EXPECT_EQ(e.type(), "OSError");
    EXPECT_STREQ(e.what(), "[Errno 22] Invalid argument");
  }
}

TEST(SelectorLoop, ACallbacksExceptionLeavesRun) {
  SelectorLoop loop;
  loop.call_later(0ms, [] { throw std::runtime_error("from a callback"); });
  EXPECT_THROW(loop.run(), std::runtime_error);
}

}  // namespace
}  // namespace superlink
