#include "superlink/testing/http_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <stdexcept>

namespace superlink::testing {

HttpReply http_request(const std::string& host, int port, const std::string& method,
                       const std::string& path,
                       const std::vector<std::pair<std::string, std::string>>& headers,
                       const std::string& body) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  inet_pton(AF_INET, host.c_str(), &addr.sin_addr);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    throw std::runtime_error("connect to " + host + ":" + std::to_string(port) + " failed");
  }
  std::string request = method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\n";
  for (const auto& [name, value] : headers) request += name + ": " + value + "\r\n";
  request += "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n";
  request += body;
  [[maybe_unused]] ssize_t sent = ::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
  std::string reply;
  char buffer[4096];
  for (ssize_t n; (n = ::recv(fd, buffer, sizeof buffer, 0)) > 0;) reply.append(buffer, n);
  ::close(fd);
  HttpReply result;
  if (reply.rfind("HTTP/1.1 ", 0) != 0) return result;
  result.status = std::atoi(reply.c_str() + 9);
  const auto end = reply.find("\r\n\r\n");
  if (end != std::string::npos) {
    result.head = reply.substr(0, end + 2);
    result.body = reply.substr(end + 4);
  }
  return result;
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

}  // namespace superlink::testing
