#include "superlink/crash_report.h"

#include <string_view>

#include "superlink/flower_log.h"
#include "superlink/python_error.h"
#include "superlink/supervisor.h"

namespace superlink {
namespace {

// Where a pip install of flwr on Debian 12 (Python 3.11) puts things. The line numbers are those
// of CPython 3.11's threading.py and of Flower 1.18.0's modules.
constexpr std::string_view kThreading = "/usr/lib/python3.11/threading.py";
constexpr std::string_view kFlwr = "/usr/local/lib/python3.11/dist-packages/flwr";

std::string frame(std::string_view file, int line, std::string_view function) {
  return "  File \"" + std::string(file) + "\", line " + std::to_string(line) + ", in " +
         std::string(function) + "\n";
}

std::string flwr_file(std::string_view module) {
  return std::string(kFlwr) + "/" + std::string(module);
}

// Python's last line: the type alone when the message is empty.
std::string exception_line(const std::string& type, const std::string& message) {
  return message.empty() ? type + "\n" : type + ": " + message + "\n";
}

bool is_sqlite_error(const std::string& type) {
  return type.starts_with("sqlite3.");
}

}  // namespace

std::string python_exception_type(std::exception_ptr error) {
  try {
    std::rethrow_exception(error);
  } catch (const PythonError& e) {
    return e.type();
  } catch (...) {
    return "RuntimeError";  // a failpoint panic, or any other C++ exception
  }
}

std::string thread_traceback(std::string_view thread, std::exception_ptr error) {
  const std::string type = python_exception_type(error);
  // Python numbers unnamed threads in creation order: the Exec and ServerAppIo gRPC servers
  // start one each, the REST thread is the third, the scheduler the fourth (with a gRPC Fleet
  // API, its server takes the third).
  const bool rest = thread == "rest";
  std::string text = rest ? "Exception in thread Thread-3 (_run_fleet_api_rest):\n"
                          : "Exception in thread Thread-4 (_flwr_scheduler):\n";
  text += "Traceback (most recent call last):\n";
  text += frame(kThreading, 1038, "_bootstrap_inner");
  text += frame(kThreading, 975, "run");
  if (rest) {
    text += frame(flwr_file("server/app.py"), 750, "_run_fleet_api_rest");
  } else {
    text += frame(flwr_file("server/app.py"), 528, "_flwr_scheduler");
    if (is_sqlite_error(type)) {
      const std::string state = flwr_file("server/superlink/linkstate/sqlite_linkstate.py");
      text += frame(state, 908, "get_pending_run_id");
      text += frame(state, 242, "query");
    }
  }
  return text + exception_line(type, describe_exception(error));
}

std::string keyboard_interrupt_traceback() {
  return "Traceback (most recent call last):\n" +
         frame("/usr/local/bin/flower-superlink", 8, "<module>") +
         frame(flwr_file("server/app.py"), 312, "run_superlink") + "KeyboardInterrupt\n";
}

void run_reporting_uncaught(std::string_view thread, const std::function<void()>& body) {
  try {
    body();
  } catch (...) {
    write_raw_stderr(thread_traceback(thread, std::current_exception()));
    throw;
  }
}

}  // namespace superlink
