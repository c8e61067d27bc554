#include "superlink/fleet/crash_report.h"

#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>

#include "failpoint/failpoint.h"
#include "superlink/fleet/selector_loop.h"
#include "superlink/flower/python_error.h"
#include "superlink/flower/version_profile.h"
#include "unique_fd.h"

namespace superlink {
namespace {

const std::string kThreadFrames =
    "Traceback (most recent call last):\n"
    "  File \"/usr/lib/python3.11/threading.py\", line 1038, in _bootstrap_inner\n"
    "  File \"/usr/lib/python3.11/threading.py\", line 975, in run\n";
const std::string kFlwr = "  File \"/usr/local/lib/python3.11/dist-packages/flwr/";

TEST(CrashReport, SqliteErrorOfTheSchedulerEndsInTypeAndMessage) {
  const auto error =
      std::make_exception_ptr(PythonError("sqlite3.OperationalError", "database is locked"));
  EXPECT_EQ(thread_traceback("scheduler", error),
            "Exception in thread Thread-4 (_flwr_scheduler):\n" + kThreadFrames + kFlwr +
                "server/app.py\", line 528, in _flwr_scheduler\n" + kFlwr +
                "server/superlink/linkstate/sqlite_linkstate.py\", line 908, in "
                "get_pending_run_id\n" +
                kFlwr + "server/superlink/linkstate/sqlite_linkstate.py\", line 242, in query\n" +
                "sqlite3.OperationalError: database is locked\n");
}

TEST(CrashReport, FailpointPanicIsARuntimeError) {
  const auto error = std::make_exception_ptr(failpoint::Panic("rest.listen", "boom"));
  EXPECT_EQ(python_exception_type(error), "RuntimeError");
  EXPECT_EQ(thread_traceback("rest", error),
            "Exception in thread Thread-3 (_run_fleet_api_rest):\n" + kThreadFrames + kFlwr +
                "server/app.py\", line 750, in _run_fleet_api_rest\nRuntimeError: boom\n");
}

const std::string kEventLoopFrames =
    "  File \"/usr/lib/python3/dist-packages/uvicorn/main.py\", line 463, in run\n"
    "  File \"/usr/lib/python3/dist-packages/uvicorn/server.py\", line 60, in run\n"
    "  File \"/usr/lib/python3.11/asyncio/runners.py\", line 190, in run\n"
    "  File \"/usr/lib/python3.11/asyncio/runners.py\", line 118, in run\n"
    "  File \"/usr/lib/python3.11/asyncio/base_events.py\", line 640, in run_until_complete\n"
    "  File \"/usr/lib/python3.11/asyncio/base_events.py\", line 607, in run_forever\n"
    "  File \"/usr/lib/python3.11/asyncio/base_events.py\", line 1884, in _run_once\n"
    "  File \"/usr/lib/python3.11/selectors.py\", line 468, in select\n";

// Sets the imitated version for one test.
class ScopedProfile {
 public:
  explicit ScopedProfile(std::string_view name) : saved_(active_profile()) {
    set_active_profile(*find_version_profile(name));
  }
  ~ScopedProfile() { set_active_profile(saved_); }

 private:
  const VersionProfile& saved_;
};

TEST(CrashReport, FailedEventLoopWaitGoesDownToSelectorsSelect) {
  const auto error = std::make_exception_ptr(SelectorWaitError(EBADF));
  for (const auto& [version, line] : {std::pair{"1.18", "750"}, {"1.26", "658"}}) {
    const ScopedProfile profile(version);
    EXPECT_EQ(thread_traceback("rest", error),
              "Exception in thread Thread-3 (_run_fleet_api_rest):\n" + kThreadFrames + kFlwr +
                  "server/app.py\", line " + line + ", in _run_fleet_api_rest\n" +
                  kEventLoopFrames + "OSError: [Errno 9] Bad file descriptor\n")
        << version;
  }
}

TEST(CrashReport, AcceptOutOfResourcesAsAsyncioLogsIt) {
  const harness::UniqueFd fd(::socket(AF_INET, SOCK_STREAM, 0));
  ASSERT_TRUE(fd);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  ASSERT_EQ(::bind(fd.get(), reinterpret_cast<sockaddr*>(&address), length), 0);
  ASSERT_EQ(::listen(fd.get(), 1), 0);
  ASSERT_EQ(::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&address), &length), 0);
  const std::string repr = transport_socket_repr(fd.get());
  EXPECT_EQ(repr, "<asyncio.TransportSocket fd=" + std::to_string(fd.get()) +
                      ", family=2, type=1, proto=6, laddr=('127.0.0.1', " +
                      std::to_string(ntohs(address.sin_port)) + ")>");
  EXPECT_EQ(accept_out_of_resources_report(repr, EMFILE),
            "socket.accept() out of system resource\nsocket: " + repr +
                "\nTraceback (most recent call last):\n"
                "  File \"/usr/lib/python3.11/asyncio/selector_events.py\", line 165, in "
                "_accept_connection\n"
                "  File \"/usr/lib/python3.11/socket.py\", line 294, in accept\n"
                "OSError: [Errno 24] Too many open files\n");
}

TEST(CrashReport, AnEmptyMessageLeavesTheTypeAlone) {
  const auto error = std::make_exception_ptr(PythonError("KeyError", ""));
  const std::string text = thread_traceback("scheduler", error);
  EXPECT_THAT(text, ::testing::EndsWith("in _flwr_scheduler\nKeyError\n"));
}

TEST(CrashReport, KeyboardInterruptTracebackEndsInItsName) {
  const std::string text = keyboard_interrupt_traceback();
  EXPECT_THAT(text, ::testing::StartsWith("Traceback (most recent call last):\n"));
  EXPECT_THAT(text, ::testing::EndsWith(", in run_superlink\nKeyboardInterrupt\n"));
}

TEST(CrashReport, QuietBodyPrintsNothingAndAThrowIsReportedThenRethrown) {
  ::testing::internal::CaptureStderr();
  EXPECT_NO_THROW(run_reporting_uncaught("scheduler", [] {}));
  EXPECT_EQ(::testing::internal::GetCapturedStderr(), "");
  ::testing::internal::CaptureStderr();
  EXPECT_THROW(run_reporting_uncaught("scheduler", [] { throw std::runtime_error("x"); }),
               std::runtime_error);
  EXPECT_EQ(::testing::internal::GetCapturedStderr(),
            thread_traceback("scheduler", std::make_exception_ptr(std::runtime_error("x"))));
}

}  // namespace
}  // namespace superlink
