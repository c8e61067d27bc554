#include "superlink/fleet/crash_report.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <string_view>

#include "failpoint/failpoint.h"
#include "superlink/fleet/selector_loop.h"
#include "superlink/flower/flower_log.h"
#include "superlink/flower/python_error.h"
#include "superlink/flower/version_profile.h"

namespace superlink {
namespace {

// Where a pip install of flwr on Debian 12 (Python 3.11, uvicorn from Debian) puts things. The
// line numbers are those of CPython 3.11's modules, Debian's uvicorn and Flower's modules.
constexpr std::string_view kThreading = "/usr/lib/python3.11/threading.py";
constexpr std::string_view kAsyncio = "/usr/lib/python3.11/asyncio";
constexpr std::string_view kStdlib = "/usr/lib/python3.11";
constexpr std::string_view kUvicorn = "/usr/lib/python3/dist-packages/uvicorn";
constexpr std::string_view kFlwr = "/usr/local/lib/python3.11/dist-packages/flwr";

std::string frame(std::string_view file, int line, std::string_view function) {
  return "  File \"" + std::string(file) + "\", line " + std::to_string(line) + ", in " +
         std::string(function) + "\n";
}

std::string in(std::string_view folder, std::string_view module) {
  return std::string(folder) + "/" + std::string(module);
}

std::string flwr_file(std::string_view module) {
  return in(kFlwr, module);
}

bool is_selector_wait_error(std::exception_ptr error) {
  try {
    std::rethrow_exception(error);
  } catch (const SelectorWaitError&) {
    return true;
  } catch (...) {
    return false;
  }
}

// From uvicorn.run down to the epoll wait of asyncio's selector loop.
std::string event_loop_wait_frames() {
  return frame(in(kUvicorn, "main.py"), 463, "run") + frame(in(kUvicorn, "server.py"), 60, "run") +
         frame(in(kAsyncio, "runners.py"), 190, "run") +
         frame(in(kAsyncio, "runners.py"), 118, "run") +
         frame(in(kAsyncio, "base_events.py"), 640, "run_until_complete") +
         frame(in(kAsyncio, "base_events.py"), 607, "run_forever") +
         frame(in(kAsyncio, "base_events.py"), 1884, "_run_once") +
         frame(in(kStdlib, "selectors.py"), 468, "select");
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
    text += frame(flwr_file("server/app.py"), active_profile().fleet_api_rest_line,
                  "_run_fleet_api_rest");
    if (is_selector_wait_error(error)) text += event_loop_wait_frames();
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

std::string transport_socket_repr(int fd) {
  int family = 0;
  int type = 0;
  int protocol = 0;
  socklen_t size = sizeof family;
  ::getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &family, &size);
  size = sizeof type;
  ::getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &size);
  size = sizeof protocol;
  ::getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &protocol, &size);
  std::string text = "<asyncio.TransportSocket fd=" + std::to_string(fd) +
                     ", family=" + std::to_string(family) + ", type=" + std::to_string(type) +
                     ", proto=" + std::to_string(protocol);
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  char host[INET6_ADDRSTRLEN] = "";
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    // Python's address tuples: (host, port) for IPv4, (host, port, flowinfo, scope_id) for IPv6.
    if (address.ss_family == AF_INET) {
      const auto& v4 = reinterpret_cast<const sockaddr_in&>(address);
      ::inet_ntop(AF_INET, &v4.sin_addr, host, sizeof host);
      text += ", laddr=('" + std::string(host) + "', " + std::to_string(ntohs(v4.sin_port)) + ")";
    } else if (address.ss_family == AF_INET6) {
      const auto& v6 = reinterpret_cast<const sockaddr_in6&>(address);
      ::inet_ntop(AF_INET6, &v6.sin6_addr, host, sizeof host);
      text += ", laddr=('" + std::string(host) + "', " + std::to_string(ntohs(v6.sin6_port)) +
              ", " + std::to_string(ntohl(v6.sin6_flowinfo)) + ", " +
              std::to_string(v6.sin6_scope_id) + ")";
    }
  }
  return text + ">";
}

std::string accept_out_of_resources_report(const std::string& socket_repr, int error) {
  const PythonError raised = os_error(error);
  return "socket.accept() out of system resource\nsocket: " + socket_repr +
         "\nTraceback (most recent call last):\n" +
         frame(in(kAsyncio, "selector_events.py"), 165, "_accept_connection") +
         frame(in(kStdlib, "socket.py"), 294, "accept") +
         exception_line(raised.type(), raised.what());
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
