#include "superlink/fleet/rest_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <ctime>
#include <memory>
#include <sstream>
#include <unordered_map>

#include "failpoint/failpoint.h"
#include "superlink/fleet/crash_report.h"
#include "superlink/fleet/selector_loop.h"
#include "superlink/flower/flower_log.h"
#include "unique_fd.h"

namespace superlink {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;

// A client that neither finishes its request nor sends another within this time is dropped
// (uvicorn drops an idle keep-alive connection after 5 s; a request under way gets longer).
constexpr std::chrono::seconds kRequestTimeout{60};
constexpr std::chrono::seconds kKeepAliveTimeout{5};
// uvicorn's main loop wakes every 0.1 s (to see whether it should exit): the loop never waits
// longer than that, as the real one's epoll_wait never does.
constexpr std::chrono::milliseconds kUvicornTick{100};
// asyncio's ACCEPT_RETRY_DELAY: how long the listener is left alone after accept ran out of
// resources.
constexpr std::chrono::seconds kAcceptRetryDelay{1};
// Bytes taken from a socket per readiness.
constexpr std::size_t kReadChunk = std::size_t{64} << 10;

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

// RFC 9110's IMF-fixdate, as uvicorn's `date` header.
std::string http_date() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[40];
  std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S GMT", &utc);
  return text;
}

std::string host_for_url(const std::string& host) {
  return host.find(':') == std::string::npos ? host : "[" + host + "]";
}

class Connection;

// What one run() serves with: the loop, the server, and the open connections (closed when it
// ends).
struct Serving {
  SelectorLoop& loop;
  RestServer& server;
  std::unordered_map<int, std::shared_ptr<Connection>> connections;
};

// One client connection: reads a request, answers it, and reads the next (pipelined requests
// wait in the buffer), until the client closes, asks to, or idles past the timeout. Reading
// pauses while a request is answered.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(Serving& serving, int fd, std::string client, unsigned short client_port)
      : serving_(serving), fd_(fd), client_(std::move(client)), client_port_(client_port) {}

  void read_next(bool first) {
    parser_.emplace();
    parser_->header_limit(kMaxHeadBytes);
    parser_->body_limit(kMaxBodyBytes);
    header_done_ = false;
    // Idle between requests: the keep-alive timeout; the first request gets the longer one.
    set_timer(first ? kRequestTimeout : kKeepAliveTimeout);
    serving_.loop.add_reader(fd_, [self = shared_from_this()] { self->on_readable(); });
    // A pipelined request already read is parsed from the loop, not from this call's stack.
    if (!in_.empty()) {
      serving_.loop.call_later(SelectorLoop::Clock::duration::zero(), [self = shared_from_this()] {
        if (!self->closed_ && !self->answering_) self->parse();
      });
    }
  }

  void close() {
    if (closed_) return;
    closed_ = true;
    serving_.loop.cancel(timer_);
    serving_.loop.remove_reader(fd_);
    serving_.loop.remove_writer(fd_);
    ::shutdown(fd_, SHUT_WR);
    ::close(fd_);
    const auto keep = shared_from_this();  // until this call returns
    serving_.connections.erase(fd_);
  }

 private:
  void set_timer(std::chrono::seconds timeout) {
    serving_.loop.cancel(timer_);
    timer_ = serving_.loop.call_later(timeout, [self = shared_from_this()] { self->close(); });
  }

  void on_readable() {
    char chunk[kReadChunk];
    const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return;
    // The client went away (before, within or between requests): nothing to answer.
    if (n <= 0) return close();
    in_.append(chunk, static_cast<std::size_t>(n));
    parse();
  }

  void parse() {
    while (!in_.empty()) {
      beast::error_code error;
      const std::size_t used = parser_->put(boost::asio::buffer(in_.data(), in_.size()), error);
      in_.erase(0, used);
      if (!header_done_ && parser_->is_header_done()) {
        header_done_ = true;
        set_timer(kRequestTimeout);
      }
      if (error == http::error::need_more) return;
      if (error) return on_parse_error(error);
      if (parser_->is_done()) return on_request();
      if (used == 0) return;
    }
  }

  void on_parse_error(beast::error_code error) {
    if (error == http::error::body_limit) {
      return answer_and_close(413, "Request Entity Too Large");
    }
    // h11 refuses what it cannot parse; uvicorn answers this, warns, and closes.
    write_raw_stderr("WARNING:  Invalid HTTP request received.\n");
    answer_and_close(400, "Invalid HTTP request received.");
  }

  void on_request() {
    auto& request = parser_->get();
    const std::string method(request.method_string());
    const std::string target(request.target());
    const std::string version =
        std::to_string(request.version() / 10) + "." + std::to_string(request.version() % 10);
    const bool keep_alive = request.keep_alive();

    FleetAnswer answer;
    if (const auto status = serving_.server.request_site(target)) {
      answer.status = *status;
    } else {
      const auto header = [&](http::field name) -> std::optional<std::string> {
        const auto found = request.find(name);
        if (found == request.end()) return std::nullopt;
        return std::string(found->value());
      };
      answer = serving_.server.routes().answer(
          {method, target, header(http::field::content_type), header(http::field::accept),
           header(http::field::host), std::move(request.body())});
      if (!answer.traceback.empty()) write_raw_stderr(answer.traceback);
    }
    write_stdout(
        uvicorn_access_line(client_, client_port_, method, target, version, answer.status));
    send(answer, keep_alive, method == "HEAD");
  }

  // For a request that never became one: no access line (uvicorn logs none either).
  void answer_and_close(int status, const char* text) {
    FleetAnswer answer{status, {{"content-type", "text/plain; charset=utf-8"}}, text, {}};
    send(answer, false, false);
  }

  void send(const FleetAnswer& answer, bool keep_alive, bool head) {
    answering_ = true;
    serving_.loop.remove_reader(fd_);
    http::response<http::string_body> response;
    response.result(static_cast<unsigned>(answer.status));
    // Python's phrase, as uvicorn sends it (Beast's differ: 413 "Payload Too Large").
    if (const std::string reason = http_reason(answer.status); !reason.empty()) {
      response.reason(reason);
    }
    response.version(11);
    response.set(http::field::date, http_date());
    response.set(http::field::server, "uvicorn");
    for (const auto& [name, value] : answer.headers) response.set(name, value);
    response.body() = head ? std::string() : answer.body;
    response.content_length(answer.body.size());
    response.keep_alive(keep_alive);
    std::ostringstream serialized;
    serialized << response;
    out_ = std::move(serialized).str();
    sent_ = 0;
    keep_alive_ = keep_alive;
    flush();
  }

  // Writes what it can now (as asyncio's transport does), the rest when the socket drains.
  void flush() {
    while (sent_ < out_.size()) {
      const ssize_t n = ::send(fd_, out_.data() + sent_, out_.size() - sent_, MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        serving_.loop.add_writer(fd_, [self = shared_from_this()] { self->flush(); });
        return;
      }
      if (n < 0) return close();
      sent_ += static_cast<std::size_t>(n);
    }
    serving_.loop.remove_writer(fd_);
    out_.clear();
    answering_ = false;
    if (!keep_alive_) return close();
    read_next(false);
  }

  Serving& serving_;
  int fd_;
  std::string client_;
  unsigned short client_port_ = 0;
  std::string in_;  // received, not parsed yet
  std::optional<http::request_parser<http::string_body>> parser_;
  bool header_done_ = false;
  std::string out_;  // the answer being written
  std::size_t sent_ = 0;
  bool keep_alive_ = false;
  bool answering_ = false;
  bool closed_ = false;
  SelectorLoop::TimerId timer_ = 0;
};

std::string numeric_host(const sockaddr_storage& address) {
  char text[INET6_ADDRSTRLEN] = "";
  if (address.ss_family == AF_INET) {
    ::inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in&>(address).sin_addr, text,
                sizeof text);
  } else if (address.ss_family == AF_INET6) {
    ::inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6&>(address).sin6_addr, text,
                sizeof text);
  }
  return text;
}

unsigned short port_of(const sockaddr_storage& address) {
  if (address.ss_family == AF_INET) {
    return ntohs(reinterpret_cast<const sockaddr_in&>(address).sin_port);
  }
  if (address.ss_family == AF_INET6) {
    return ntohs(reinterpret_cast<const sockaddr_in6&>(address).sin6_port);
  }
  return 0;
}

// asyncio's _accept_connection: on each readiness, accepts up to the backlog's worth of
// connections. Out of descriptors or memory, it reports the error, stops watching the listener
// and watches it again 1 s later - and goes on with the loop it is in, as asyncio does.
class Listener {
 public:
  Listener(Serving& serving, int fd) : serving_(serving), fd_(fd) {}

  void start_serving() {
    serving_.loop.add_reader(fd_, [this] { accept_connections(); });
  }

 private:
  void accept_connections() {
    for (int i = 0; i < kListenBacklog; ++i) {
      sockaddr_storage peer{};
      socklen_t length = sizeof peer;
      const int fd =
          ::accept4(fd_, reinterpret_cast<sockaddr*>(&peer), &length, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0) {
        const int error = errno;
        if (error == EMFILE || error == ENFILE || error == ENOBUFS || error == ENOMEM) {
          write_raw_stderr(accept_out_of_resources_report(transport_socket_repr(fd_), error));
          serving_.loop.remove_reader(fd_);
          serving_.loop.call_later(kAcceptRetryDelay, [this] { start_serving(); });
          continue;
        }
        // Empty backlog, an aborted connection, or an error asyncio would log and ignore.
        return;
      }
      auto connection =
          std::make_shared<Connection>(serving_, fd, numeric_host(peer), port_of(peer));
      serving_.connections.emplace(fd, connection);
      connection->read_next(true);
    }
  }

  Serving& serving_;
  int fd_;
};

// A listening socket on host:port, non-blocking; -1 and `error` set when it cannot be made.
int listen_on(const std::string& host, int port, int& error) {
  sockaddr_storage address{};
  socklen_t length = 0;
  auto& v4 = reinterpret_cast<sockaddr_in&>(address);
  auto& v6 = reinterpret_cast<sockaddr_in6&>(address);
  if (::inet_pton(AF_INET, host.c_str(), &v4.sin_addr) == 1) {
    v4.sin_family = AF_INET;
    v4.sin_port = htons(static_cast<std::uint16_t>(port));
    length = sizeof v4;
  } else if (::inet_pton(AF_INET6, host.c_str(), &v6.sin6_addr) == 1) {
    v6.sin6_family = AF_INET6;
    v6.sin6_port = htons(static_cast<std::uint16_t>(port));
    length = sizeof v6;
  } else {
    error = EINVAL;
    return -1;
  }
  harness::UniqueFd fd(::socket(address.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd) {
    error = errno;
    return -1;
  }
  const int on = 1;
  if (::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) != 0 ||
      ::bind(fd.get(), reinterpret_cast<const sockaddr*>(&address), length) != 0 ||
      ::listen(fd.get(), kListenBacklog) != 0) {
    error = errno;
    return -1;
  }
  return fd.release();
}

int bound_port(int fd) {
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) return 0;
  return port_of(address);
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

RestServer::RestServer(StateFactory& states) : routes_(states) {}

void RestServer::on_failure(std::function<void(std::exception_ptr)> listener) {
  on_failure_ = std::move(listener);
}

void RestServer::stop_with(std::exception_ptr cause) {
  bool first_failure = false;
  {
    std::lock_guard lock(mutex_);
    first_failure = cause && !cause_;
    if (!cause_) cause_ = cause;
    stop_requested_ = true;
    if (loop_) loop_->stop();
  }
  if (first_failure && on_failure_) on_failure_(cause);
}

void RestServer::stop() {
  stop_with(nullptr);
}

std::optional<int> RestServer::request_site(const std::string& target) {
  std::optional<std::string> fired;
  try {
    fired = FAILPOINT("rest.request");
  } catch (...) {
    stop_with(std::current_exception());
    return 500;
  }
  if (!fired) return std::nullopt;
  if (fired->empty()) {
    // `return` without a status: the REST thread ends quietly, like uvicorn's sys.exit.
    stop_with(nullptr);
    return 503;
  }
  if (auto status = parse_status(*fired)) return status;
  spdlog::error(
      "failpoint rest.request: return({}) is not an HTTP status (100-599); answering "
      "500 to {}",
      *fired, target);
  return 500;
}

void RestServer::run(const std::string& host, int port, const std::function<void(int)>& on_bound) {
  if (FAILPOINT("rest.start")) return;
  spdlog::info("Starting Flower REST server");
  write_raw_stderr("INFO:     Started server process [" + std::to_string(::getpid()) +
                   "]\nINFO:     Waiting for application startup.\n"
                   "INFO:     Application startup complete.\n");
  SelectorLoop loop;
  int error = 0;
  const int listener_fd = listen_on(host, port, error);
  if (listener_fd < 0) {
    write_raw_stderr(uvicorn_bind_error(host, port, error) +
                     "INFO:     Waiting for application shutdown.\n"
                     "INFO:     Application shutdown complete.\n");
    return;
  }
  const harness::UniqueFd listener_guard(listener_fd);
  if (FAILPOINT("rest.listen")) return;
  Serving serving{loop, *this, {}};
  Listener listener(serving, listener_fd);
  const int bound = bound_port(listener_fd);
  write_raw_stderr("INFO:     Uvicorn running on http://" + host_for_url(host) + ":" +
                   std::to_string(bound) + " (Press CTRL+C to quit)\n");
  on_bound(bound);
  listener.start_serving();
  std::function<void()> tick = [&] { loop.call_later(kUvicornTick, tick); };
  tick();
  {
    std::lock_guard lock(mutex_);
    loop_ = &loop;
    if (stop_requested_) loop.stop();
  }
  try {
    loop.run();
  } catch (...) {
    // The wait failed (or a callback threw): the thread dies of it, as uvicorn's does.
    stop_with(std::current_exception());
  }
  std::lock_guard lock(mutex_);
  loop_ = nullptr;
  const auto connections = serving.connections;  // each close() takes itself out
  for (const auto& [fd, connection] : connections) connection->close();
  if (cause_) std::rethrow_exception(cause_);
}

}  // namespace superlink
