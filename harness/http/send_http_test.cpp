// send_http against a loopback server in this process that records what arrived and answers
// what the test says (or nothing).
#include "send_http.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <functional>
#include <string>
#include <thread>

namespace harness {
namespace {

class OneShotServer {
 public:
  // Accepts one connection, reads the request head, then writes `answer` (when `answer_it`) and
  // holds the connection until the client closes it.
  explicit OneShotServer(std::string answer, bool answer_it = true,
                         std::function<void()> after_answer = {})
      : listener_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::listen(listener_, 1);
    socklen_t size = sizeof addr;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &size);
    address_ = "127.0.0.1:" + std::to_string(ntohs(addr.sin_port));
    thread_ = std::thread([this, answer = std::move(answer), answer_it, after_answer] {
      const int fd = ::accept(listener_, nullptr, nullptr);
      if (fd < 0) return;
      char buffer[4096];
      while (received_.find("\r\n\r\n") == std::string::npos) {
        const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
        if (n <= 0) break;
        received_.append(buffer, static_cast<std::size_t>(n));
      }
      if (answer_it) ::send(fd, answer.data(), answer.size(), MSG_NOSIGNAL);
      if (after_answer) after_answer();
      while (::recv(fd, buffer, sizeof buffer, 0) > 0) {
      }
      ::close(fd);
    });
  }
  ~OneShotServer() {
    // Wakes an accept that no connection reached (Linux fails it with EINVAL).
    ::shutdown(listener_, SHUT_RDWR);
    if (thread_.joinable()) thread_.join();
    ::close(listener_);
  }
  const std::string& address() const { return address_; }
  // What the client sent; only once the exchange is over.
  const std::string& received() {
    if (thread_.joinable()) thread_.join();
    return received_;
  }

 private:
  int listener_;
  std::string address_;
  std::string received_;
  std::thread thread_;
};

HttpRequest request_to(const std::string& address) {
  HttpRequest request;
  request.address = address;
  request.path = "/api/v0/fleet/ping";
  return request;
}

TEST(SendHttp, KeepsTheStatusTheHeadAndTheBody) {
  OneShotServer server(
      "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 4\r\n\r\npong");
  const HttpResponse response = send_http(request_to(server.address()), std::chrono::seconds(30));
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.head, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 4\r\n");
  EXPECT_EQ(response.body, "pong");
  EXPECT_TRUE(response.sent);
  EXPECT_EQ(response.error, "");
}

TEST(SendHttp, SendsTheAddressAsHostUnlessTheRequestHasAHost) {
  {
    OneShotServer server("HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n");
    send_http(request_to(server.address()), std::chrono::seconds(30));
    EXPECT_NE(server.received().find("\r\nHost: " + server.address() + "\r\n"), std::string::npos)
        << server.received();
  }
  OneShotServer server("HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n");
  HttpRequest request = request_to(server.address());
  request.headers["host"] = "example.test";
  send_http(request, std::chrono::seconds(30));
  const std::string& sent = server.received();
  EXPECT_NE(sent.find("\r\nhost: example.test\r\n"), std::string::npos) << sent;
  EXPECT_EQ(sent.find("Host:"), std::string::npos) << sent;
}

// The run ends (cancel) once the answer is in the socket: the answer counts, as the target did
// give it.
TEST(SendHttp, AnAnswerAlreadyInWhenCancelledIsRead) {
  const int cancel = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  OneShotServer server("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\npong", true, [cancel] {
    const std::uint64_t one = 1;
    [[maybe_unused]] const ssize_t written = ::write(cancel, &one, sizeof one);
  });
  HttpBounds bounds;
  bounds.deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  bounds.cancel_fd = cancel;
  const HttpResponse response = send_http(request_to(server.address()), bounds);
  EXPECT_EQ(response.error, "");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "pong");
  // The server's thread may still be writing the cancel: received() joins it before the fd goes.
  EXPECT_FALSE(server.received().empty());
  ::close(cancel);
}

TEST(SendHttp, AServerThatNeverAnswersEndsAtTheDeadline) {
  OneShotServer server("", /*answer_it=*/false);
  const HttpResponse response =
      send_http(request_to(server.address()), std::chrono::milliseconds(200));
  EXPECT_TRUE(response.sent);
  EXPECT_FALSE(response.status.has_value());
  EXPECT_EQ(response.error, "timed out waiting for the response");
}

TEST(SendHttp, NothingListeningIsAnErrorBeforeSending) {
  std::string address;
  {
    const OneShotServer gone("", /*answer_it=*/false);
    address = gone.address();
  }  // its port is closed now
  const HttpResponse response = send_http(request_to(address), std::chrono::seconds(30));
  EXPECT_FALSE(response.sent);
  EXPECT_EQ(response.error, "Connection refused");
}

}  // namespace
}  // namespace harness
