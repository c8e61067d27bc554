#include "superlink/rest_server.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <ctime>
#include <memory>

#include "failpoint/failpoint.h"
#include "superlink/flower_log.h"

namespace superlink {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

// A client that neither finishes its request nor sends another within this time is dropped
// (uvicorn drops an idle keep-alive connection after 5 s; a request under way gets longer).
constexpr std::chrono::seconds kRequestTimeout{60};
constexpr std::chrono::seconds kKeepAliveTimeout{5};

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

// One client connection: reads a request, answers it, and reads the next (pipelined requests
// wait in the buffer), until the client closes, asks to, or idles past the timeout.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(RestServer& server, tcp::socket socket) : server_(server), stream_(std::move(socket)) {
    beast::error_code error;
    const auto peer = stream_.socket().remote_endpoint(error);
    if (!error) {
      client_ = peer.address().to_string();
      client_port_ = peer.port();
    }
  }

  void read_next(bool first) {
    parser_.emplace();
    parser_->header_limit(kMaxHeadBytes);
    parser_->body_limit(kMaxBodyBytes);
    // Idle between requests: the keep-alive timeout; the first request gets the longer one.
    stream_.expires_after(first ? kRequestTimeout : kKeepAliveTimeout);
    http::async_read_header(stream_, buffer_, *parser_,
                            [self = shared_from_this()](beast::error_code error, std::size_t) {
                              self->on_header(error);
                            });
  }

 private:
  void on_header(beast::error_code error) {
    if (error) return on_read_error(error);
    stream_.expires_after(kRequestTimeout);
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code error, std::size_t) {
                       self->on_request(error);
                     });
  }

  void on_read_error(beast::error_code error) {
    if (error == http::error::end_of_stream || error == http::error::partial_message ||
        error == beast::error::timeout || error == asio::error::operation_aborted ||
        error == asio::error::connection_reset || error == asio::error::eof) {
      return close();  // the client went away, or idled too long: nothing to answer
    }
    if (error == http::error::body_limit) {
      return answer_and_close(413, "Request Entity Too Large");
    }
    // h11 refuses what it cannot parse; uvicorn answers this, warns, and closes.
    write_raw_stderr("WARNING:  Invalid HTTP request received.\n");
    answer_and_close(400, "Invalid HTTP request received.");
  }

  void on_request(beast::error_code error) {
    if (error) return on_read_error(error);
    auto& request = parser_->get();
    const std::string method(request.method_string());
    const std::string target(request.target());
    const std::string version =
        std::to_string(request.version() / 10) + "." + std::to_string(request.version() % 10);
    const bool keep_alive = request.keep_alive();

    FleetAnswer answer;
    if (const auto status = server_.request_site(target)) {
      answer.status = *status;
    } else {
      const auto header = [&](http::field name) -> std::optional<std::string> {
        const auto found = request.find(name);
        if (found == request.end()) return std::nullopt;
        return std::string(found->value());
      };
      answer = server_.routes().answer({method, target, header(http::field::content_type),
                                        header(http::field::accept), header(http::field::host),
                                        std::move(request.body())});
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
    auto response = std::make_shared<http::response<http::string_body>>();
    response->result(static_cast<unsigned>(answer.status));
    // Python's phrase, as uvicorn sends it (Beast's differ: 413 "Payload Too Large").
    if (const std::string reason = http_reason(answer.status); !reason.empty()) {
      response->reason(reason);
    }
    response->version(11);
    response->set(http::field::date, http_date());
    response->set(http::field::server, "uvicorn");
    for (const auto& [name, value] : answer.headers) response->set(name, value);
    response->body() = head ? std::string() : answer.body;
    response->content_length(answer.body.size());
    response->keep_alive(keep_alive);
    http::async_write(
        stream_, *response,
        [self = shared_from_this(), response, keep_alive](beast::error_code error, std::size_t) {
          if (error || !keep_alive) return self->close();
          self->read_next(false);
        });
  }

  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.close();
  }

  RestServer& server_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::string client_;
  unsigned short client_port_ = 0;
};

// Accepts every connection as soon as it comes; a process out of descriptors retries a little
// later instead of spinning.
class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(RestServer& server, tcp::acceptor& acceptor)
      : server_(server), acceptor_(acceptor), retry_(acceptor.get_executor()) {}

  void accept() {
    acceptor_.async_accept(
        [self = shared_from_this()](beast::error_code error, tcp::socket socket) {
          if (error == asio::error::operation_aborted) return;
          if (error == asio::error::no_descriptors || error == asio::error::no_buffer_space) {
            self->retry_.expires_after(std::chrono::milliseconds(50));
            self->retry_.async_wait([self](beast::error_code e) {
              if (!e) self->accept();
            });
            return;
          }
          if (!error)
            std::make_shared<Connection>(self->server_, std::move(socket))->read_next(true);
          self->accept();
        });
  }

 private:
  RestServer& server_;
  tcp::acceptor& acceptor_;
  asio::steady_timer retry_;
};

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
    if (io_) io_->stop();
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
  asio::io_context io;
  tcp::acceptor acceptor(io);
  beast::error_code error;
  const tcp::endpoint endpoint(asio::ip::make_address(host, error),
                               static_cast<unsigned short>(port));
  if (!error) acceptor.open(endpoint.protocol(), error);
  if (!error) acceptor.set_option(tcp::acceptor::reuse_address(true), error);
  if (!error) acceptor.bind(endpoint, error);
  if (!error) acceptor.listen(kListenBacklog, error);
  if (error) {
    write_raw_stderr(uvicorn_bind_error(host, port, error.value()) +
                     "INFO:     Waiting for application shutdown.\n"
                     "INFO:     Application shutdown complete.\n");
    return;
  }
  if (FAILPOINT("rest.listen")) return;
  const int bound = acceptor.local_endpoint().port();
  write_raw_stderr("INFO:     Uvicorn running on http://" + host_for_url(host) + ":" +
                   std::to_string(bound) + " (Press CTRL+C to quit)\n");
  on_bound(bound);
  std::make_shared<Listener>(*this, acceptor)->accept();
  {
    std::lock_guard lock(mutex_);
    io_ = &io;
    if (stop_requested_) io.stop();
  }
  io.run();
  std::lock_guard lock(mutex_);
  io_ = nullptr;
  acceptor.close();
  if (cause_) std::rethrow_exception(cause_);
}

}  // namespace superlink
