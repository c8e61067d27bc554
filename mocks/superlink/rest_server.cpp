#include "superlink/rest_server.h"

#include <httplib.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <thread>

#include "failpoint/failpoint.h"
#include "superlink/flower_log.h"

namespace superlink {
namespace {

std::optional<std::string> header(const httplib::Request& request, const char* name) {
  if (!request.has_header(name)) return std::nullopt;
  return request.get_header_value(name);
}

// uvicorn's access log goes to stdout; one write(2) per line, like the other records.
void write_stdout(std::string_view text) {
  while (!text.empty()) {
    const ssize_t n = ::write(STDOUT_FILENO, text.data(), text.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    text.remove_prefix(static_cast<std::size_t>(n));
  }
}

std::optional<int> parse_status(const std::string& text) {
  int status = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), status);
  if (error != std::errc{} || end != text.data() + text.size() || status < 100 || status > 599) {
    return std::nullopt;
  }
  return status;
}

}  // namespace

std::string uvicorn_bind_error(const std::string& host, int port, int error) {
  std::string reason = std::strerror(error);
  if (!reason.empty())
    reason[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(reason[0])));
  return "ERROR:    [Errno " + std::to_string(error) +
         "] error while attempting to bind on address ('" + host + "', " + std::to_string(port) +
         "): " + reason + "\n";
}

RestServer::RestServer(StateFactory& states)
    : routes_(states), server_(std::make_unique<httplib::Server>()) {
  add_routes();
}

RestServer::~RestServer() = default;

void RestServer::stop_from_handler(std::exception_ptr cause) {
  {
    std::lock_guard lock(mutex_);
    if (!cause_) cause_ = cause;
  }
  server_->stop();  // a handler only runs while the server runs, so this stop is never lost
}

void RestServer::stop() {
  while (!server_->is_running()) std::this_thread::yield();
  server_->stop();
}

// Site rest.request, before routing. Returns true when the request was answered here.
bool RestServer::before_routing(const std::string& path, int& status) {
  std::optional<std::string> fired;
  try {
    fired = FAILPOINT("rest.request");
  } catch (...) {
    stop_from_handler(std::current_exception());
    status = 500;
    return true;
  }
  if (!fired) return false;
  if (fired->empty()) {
    // `return` without a status: the REST thread ends quietly, like uvicorn's sys.exit.
    stop_from_handler(nullptr);
    status = 503;
    return true;
  }
  if (auto parsed = parse_status(*fired)) {
    status = *parsed;
    return true;
  }
  spdlog::error(
      "failpoint rest.request: return({}) is not an HTTP status (100-599); answering "
      "500 to {}",
      *fired, path);
  status = 500;
  return true;
}

// Every request meets the failpoint before routing (with its body still unread), then goes to
// FleetRoutes, which routes as starlette does: httplib's own router knows neither 307 nor
// `allow`, so one catch-all handler per method hands everything over.
void RestServer::add_routes() {
  server_->set_pre_routing_handler(
      [this](const httplib::Request& request, httplib::Response& response) {
        int status = 0;
        if (!before_routing(request.path, status))
          return httplib::Server::HandlerResponse::Unhandled;
        response.status = status;
        return httplib::Server::HandlerResponse::Handled;
      });
  const auto handle = [this](const httplib::Request& request, httplib::Response& response) {
    const FleetAnswer answer =
        routes_.answer({request.method, request.target, header(request, "Content-Type"),
                        header(request, "Accept"), header(request, "Host"), request.body});
    if (!answer.traceback.empty()) write_raw_stderr(answer.traceback);
    response.status = answer.status;
    std::string content_type;
    for (const auto& [name, value] : answer.headers) {
      if (name == "content-type") {
        content_type = value;
      } else {
        response.set_header(name, value);
      }
    }
    if (content_type.empty()) {
      response.body = answer.body;
    } else {
      response.set_content(answer.body, content_type);
    }
  };
  server_->Post(".*", handle);
  server_->Get(".*", handle);
  server_->Put(".*", handle);
  server_->Patch(".*", handle);
  server_->Delete(".*", handle);
  server_->Options(".*", handle);
  server_->set_logger([](const httplib::Request& request, const httplib::Response& response) {
    const std::string version =
        request.version.rfind("HTTP/", 0) == 0 ? request.version.substr(5) : request.version;
    write_stdout(uvicorn_access_line(request.remote_addr, request.remote_port, request.method,
                                     request.target, version, response.status));
  });
}

void RestServer::run(const std::string& host, int port, const std::function<void(int)>& on_bound) {
  if (FAILPOINT("rest.start")) return;
  spdlog::info("Starting Flower REST server");
  write_raw_stderr("INFO:     Started server process [" + std::to_string(::getpid()) +
                   "]\nINFO:     Waiting for application startup.\n"
                   "INFO:     Application startup complete.\n");
  errno = 0;
  int bound = port;
  if (port == 0) {
    bound = server_->bind_to_any_port(host);
  } else if (!server_->bind_to_port(host, port)) {
    bound = -1;
  }
  if (bound < 0) {
    // errno is still bind(2)'s: httplib only closes the socket after the failed bind.
    write_raw_stderr(uvicorn_bind_error(host, port, errno) +
                     "INFO:     Waiting for application shutdown.\n"
                     "INFO:     Application shutdown complete.\n");
    return;
  }
  if (FAILPOINT("rest.listen")) return;
  write_raw_stderr("INFO:     Uvicorn running on http://" + host + ":" + std::to_string(bound) +
                   " (Press CTRL+C to quit)\n");
  on_bound(bound);
  server_->listen_after_bind();
  std::lock_guard lock(mutex_);
  if (cause_) std::rethrow_exception(cause_);
}

}  // namespace superlink
