#include "superlink/crash_report.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "failpoint/failpoint.h"
#include "superlink/python_error.h"

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

TEST(CrashReport, AnEmptyMessageLeavesTheTypeAlone) {
  const auto error = std::make_exception_ptr(PythonError("KeyError", ""));
  const std::string text = thread_traceback("scheduler", error);
  EXPECT_TRUE(text.ends_with("in _flwr_scheduler\nKeyError\n")) << text;
}

TEST(CrashReport, KeyboardInterruptTracebackEndsInItsName) {
  const std::string text = keyboard_interrupt_traceback();
  EXPECT_TRUE(text.starts_with("Traceback (most recent call last):\n")) << text;
  EXPECT_TRUE(text.ends_with(", in run_superlink\nKeyboardInterrupt\n")) << text;
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
