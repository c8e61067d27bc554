#include "events_http.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string_view>

namespace harness {

namespace {

using Clock = std::chrono::steady_clock;

class Socket {
 public:
  explicit Socket(int fd) : fd_(fd) {}
  ~Socket() {
    if (fd_ >= 0) ::close(fd_);
  }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  int fd() const { return fd_; }

 private:
  int fd_;
};

int remaining_ms(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return left.count() > 0 ? static_cast<int>(left.count()) : 0;
}

// Waits for `events` on `fd`; false on timeout.
bool wait_for(int fd, short events, Clock::time_point deadline) {
  pollfd watch{fd, events, 0};
  int ready = 0;
  do {
    ready = ::poll(&watch, 1, remaining_ms(deadline));
  } while (ready < 0 && errno == EINTR);
  return ready > 0;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Decodes a chunked body; returns false when it is incomplete.
bool dechunk(std::string_view in, std::string& out) {
  out.clear();
  while (true) {
    const std::size_t line_end = in.find("\r\n");
    if (line_end == std::string_view::npos) return false;
    const std::size_t size = std::strtoul(std::string(in.substr(0, line_end)).c_str(), nullptr, 16);
    in.remove_prefix(line_end + 2);
    if (size == 0) return true;
    if (in.size() < size + 2) return false;
    out.append(in.substr(0, size));
    in.remove_prefix(size + 2);
  }
}

HttpResponse parse_response(const std::string& data) {
  HttpResponse response;
  const std::size_t head_end = data.find("\r\n\r\n");
  if (head_end == std::string::npos || data.compare(0, 5, "HTTP/") != 0) {
    response.error = data.empty() ? "connection closed without a response" : "malformed response";
    return response;
  }
  const std::size_t space = data.find(' ');
  response.status = std::atoi(data.c_str() + space + 1);
  const std::string head = lower(std::string_view(data).substr(0, head_end));
  const std::string_view body = std::string_view(data).substr(head_end + 4);
  if (head.find("\r\ntransfer-encoding: chunked") != std::string::npos) {
    if (!dechunk(body, response.body)) response.error = "truncated chunked body";
    return response;
  }
  const std::size_t length_at = head.find("\r\ncontent-length:");
  if (length_at != std::string::npos) {
    const std::size_t length = std::strtoul(head.c_str() + length_at + 17, nullptr, 10);
    if (body.size() < length) response.error = "truncated body";
    response.body = std::string(body.substr(0, length));
    return response;
  }
  response.body = std::string(body);
  return response;
}

}  // namespace

HttpResponse send_http(const HttpRequest& request, std::chrono::milliseconds timeout) {
  const Clock::time_point deadline = Clock::now() + timeout;
  HttpResponse failed;
  const std::size_t colon = request.address.rfind(':');
  std::string host = request.address.substr(0, colon);
  if (colon == std::string::npos || host.empty() || host == "0.0.0.0") host = "127.0.0.1";
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(
      colon == std::string::npos ? 80 : std::atoi(request.address.c_str() + colon + 1)));
  if (::inet_pton(AF_INET, host.c_str(), &address.sin_addr) != 1) {
    failed.error = "bad address '" + request.address + "'";
    return failed;
  }

  Socket socket(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (socket.fd() < 0) {
    failed.error = std::string("socket: ") + std::strerror(errno);
    return failed;
  }
  if (::connect(socket.fd(), reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0) {
    if (errno != EINPROGRESS) {
      failed.error = std::strerror(errno);
      return failed;
    }
    if (!wait_for(socket.fd(), POLLOUT, deadline)) {
      failed.error = "timed out connecting";
      return failed;
    }
    int error = 0;
    socklen_t length = sizeof(error);
    ::getsockopt(socket.fd(), SOL_SOCKET, SO_ERROR, &error, &length);
    if (error != 0) {
      failed.error = std::strerror(error);
      return failed;
    }
  }

  std::string wire =
      request.method + ' ' + request.path + " HTTP/1.1\r\nHost: " + request.address + "\r\n";
  for (const auto& [name, value] : request.headers) wire += name + ": " + value + "\r\n";
  wire +=
      "Content-Length: " + std::to_string(request.body.size()) + "\r\nConnection: close\r\n\r\n";
  wire += request.body;
  std::string_view pending(wire);
  while (!pending.empty()) {
    const ssize_t sent = ::send(socket.fd(), pending.data(), pending.size(), MSG_NOSIGNAL);
    if (sent > 0) {
      pending.remove_prefix(static_cast<std::size_t>(sent));
    } else if (sent < 0 && errno != EAGAIN && errno != EINTR) {
      failed.error = std::strerror(errno);
      return failed;
    } else if (!wait_for(socket.fd(), POLLOUT, deadline)) {
      failed.error = "timed out sending";
      return failed;
    }
  }

  std::string data;
  char buffer[16 * 1024];
  while (true) {
    const ssize_t got = ::recv(socket.fd(), buffer, sizeof(buffer), 0);
    if (got > 0) {
      data.append(buffer, static_cast<std::size_t>(got));
    } else if (got == 0) {
      break;
    } else if (errno == ECONNRESET) {
      if (data.empty()) {
        failed.error = std::strerror(errno);
        return failed;
      }
      break;
    } else if (errno != EAGAIN && errno != EINTR) {
      failed.error = std::strerror(errno);
      return failed;
    } else if (!wait_for(socket.fd(), POLLIN, deadline)) {
      failed.error = "timed out waiting for the response";
      return failed;
    }
  }
  return parse_response(data);
}

}  // namespace harness
