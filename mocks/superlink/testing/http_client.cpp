#include "superlink/testing/http_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <stdexcept>

#include "send_http.h"

namespace superlink::test_support {

HttpReply http_request(const std::string& host, int port, const std::string& method,
                       const std::string& path,
                       const std::vector<std::pair<std::string, std::string>>& headers,
                       const std::string& body) {
  harness::HttpRequest request;
  request.method = method;
  request.address = host + ":" + std::to_string(port);
  request.path = path;
  request.headers.emplace("Host", host);  // without the port, as the tests' answers expect
  for (const auto& [name, value] : headers) request.headers[name] = value;
  request.body = body;
  harness::HttpBounds bounds;
  bounds.deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  bounds.max_body = 64 << 20;
  const harness::HttpResponse response = harness::send_http(request, bounds);
  if (!response.sent) {
    throw std::runtime_error("request to " + request.address + " failed: " + response.error);
  }
  HttpReply reply;
  reply.status = response.status.value_or(0);
  reply.head = response.head;
  reply.body = response.body;
  return reply;
}

HttpReply fleet_post(const std::string& host, int port, const std::string& route,
                     const std::string& body) {
  return http_request(
      host, port, "POST", "/api/v0/fleet/" + route,
      {{"Content-Type", "application/protobuf"}, {"Accept", "application/protobuf"}}, body);
}

bool whole_http_answer(const std::string& reply) {
  const auto head_end = reply.find("\r\n\r\n");
  if (head_end == std::string::npos) return false;
  const auto length_at = reply.find("Content-Length: ");
  if (length_at == std::string::npos || length_at > head_end) return false;
  const std::size_t length = std::strtoul(reply.c_str() + length_at + 16, nullptr, 10);
  return reply.size() >= head_end + 4 + length;
}

int whole_http_answers(const std::string& data) {
  int count = 0;
  for (std::size_t at = 0;;) {
    const auto head_end = data.find("\r\n\r\n", at);
    if (head_end == std::string::npos) return count;
    std::string head = data.substr(at, head_end - at);
    std::transform(head.begin(), head.end(), head.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    std::size_t length = 0;
    if (const auto l = head.find("\r\ncontent-length: "); l != std::string::npos) {
      length = std::strtoul(head.c_str() + l + 18, nullptr, 10);
    }
    if (data.size() < head_end + 4 + length) return count;
    ++count;
    at = head_end + 4 + length;
  }
}

int connect_loopback(int port, bool nonblocking) {
  const int fd =
      ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | (nonblocking ? SOCK_NONBLOCK : 0), 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 && errno != EINPROGRESS) {
    ::close(fd);
    return -1;
  }
  return fd;
}

int connect_loopback_reset(int port, std::chrono::seconds read_timeout) {
  const int fd = connect_loopback(port);
  if (fd < 0) return -1;
  const timeval safety{static_cast<time_t>(read_timeout.count()), 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &safety, sizeof safety);
  const linger reset{1, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
  return fd;
}

bool read_answer(int fd, std::string& reply) {
  char buffer[4096];
  ssize_t n = 0;
  // A server that answers a request it cannot parse may keep the connection open until its own
  // read timeout: a whole answer (head and Content-Length body) counts as the end too.
  while (!whole_http_answer(reply) && (n = ::recv(fd, buffer, sizeof buffer, 0)) > 0) {
    reply.append(buffer, static_cast<std::size_t>(n));
  }
  return whole_http_answer(reply) || n == 0 || errno == ECONNRESET;
}

std::string http_exchange(int fd, const std::string& request, int answers,
                          std::chrono::milliseconds timeout) {
  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + timeout;
  std::size_t sent = 0;
  std::string data;
  char buffer[65536];
  while (whole_http_answers(data) < answers) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) break;
    pollfd p{fd, static_cast<short>(POLLIN | (sent < request.size() ? POLLOUT : 0)), 0};
    if (::poll(&p, 1, static_cast<int>(left)) <= 0) break;
    if ((p.revents & POLLOUT) && sent < request.size()) {
      const ssize_t n = ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
      if (n > 0) sent += static_cast<std::size_t>(n);
    }
    if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
      const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
      if (n <= 0) break;
      data.append(buffer, static_cast<std::size_t>(n));
    }
  }
  return data;
}

}  // namespace superlink::test_support
