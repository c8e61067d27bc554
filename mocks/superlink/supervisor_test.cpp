#include "superlink/supervisor.h"

#include <gtest/gtest.h>
#include <pthread.h>

#include <csignal>
#include <stdexcept>

#include "failpoint/failpoint.h"

namespace superlink {
namespace {

TEST(Supervisor, ThrowingThreadWakesTheWaiterWithNameAndCause) {
  Supervisor supervisor;
  supervisor.start("scheduler", [] { throw std::runtime_error("database is locked"); });
  const SupervisorEvent event = supervisor.wait();
  EXPECT_EQ(event.kind, SupervisorEvent::Kind::kThreadStopped);
  EXPECT_EQ(event.thread, "scheduler");
  EXPECT_EQ(event.cause, "database is locked");
}

TEST(Supervisor, FailpointPanicGivesItsMessage) {
  Supervisor supervisor;
  supervisor.start("rest", [] { throw failpoint::Panic("rest.start", "boom"); });
  EXPECT_EQ(supervisor.wait().cause, "boom");
}

TEST(Supervisor, ReturningThreadStoppedWithoutAnError) {
  Supervisor supervisor;
  supervisor.start("rest", [] {});
  const SupervisorEvent event = supervisor.wait();
  EXPECT_EQ(event.kind, SupervisorEvent::Kind::kThreadStopped);
  EXPECT_EQ(event.thread, "rest");
  EXPECT_EQ(event.cause, "stopped without an error");
  supervisor.join("rest");
  supervisor.join("no-such-thread");  // ignored
}

TEST(Supervisor, ReadyComesBeforeStopAndThreadIsNamed) {
  Supervisor supervisor;
  std::string seen_name;
  supervisor.start("scheduler", [&] {
    char name[16] = {};
    pthread_getname_np(pthread_self(), name, sizeof name);
    seen_name = name;
    supervisor.mark_ready("scheduler");
  });
  const SupervisorEvent ready = supervisor.wait();
  EXPECT_EQ(ready.kind, SupervisorEvent::Kind::kThreadReady);
  EXPECT_EQ(supervisor.wait().kind, SupervisorEvent::Kind::kThreadStopped);
  EXPECT_EQ(seen_name, "scheduler");
  EXPECT_EQ(supervisor.thread_names(), std::vector<std::string>{"scheduler"});
}

TEST(Supervisor, SignalWakesTheWaiter) {
  Supervisor supervisor;
  supervisor.notify_signal(SIGTERM);
  const SupervisorEvent event = supervisor.wait();
  EXPECT_EQ(event.kind, SupervisorEvent::Kind::kSignal);
  EXPECT_EQ(event.signal, SIGTERM);
}

}  // namespace
}  // namespace superlink
