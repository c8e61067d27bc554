// send_http against a loopback server in this process that records what arrived and answers
// what the test says (or nothing).
#include "send_http.h"

#include <arpa/inet.h>
#include <gmock/gmock.h>
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
  // holds the connection until the client closes it (or closes it at once: `close_after`).
  explicit OneShotServer(std::string answer, bool answer_it = true,
                         std::function<void()> after_answer = {}, bool close_after = false)
      : listener_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::listen(listener_, 1);
    socklen_t size = sizeof addr;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &size);
    address_ = "127.0.0.1:" + std::to_string(ntohs(addr.sin_port));
    thread_ = std::thread([this, answer = std::move(answer), answer_it, after_answer, close_after] {
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
      while (!close_after && ::recv(fd, buffer, sizeof buffer, 0) > 0) {
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
    EXPECT_THAT(server.received(), ::testing::HasSubstr("\r\nHost: " + server.address() + "\r\n"));
  }
  OneShotServer server("HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n");
  HttpRequest request = request_to(server.address());
  request.headers["host"] = "example.test";
  send_http(request, std::chrono::seconds(30));
  const std::string& sent = server.received();
  EXPECT_THAT(sent, ::testing::HasSubstr("\r\nhost: example.test\r\n"));
  EXPECT_THAT(sent, ::testing::Not(::testing::HasSubstr("Host:")));
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

// The answers below hold the connection open after the last byte: only the framing says the
// body is whole, so a framing the parser missed shows as the deadline's error.
HttpResponse answer_to_ping(const std::string& answer, HttpBounds bounds = {}) {
  OneShotServer server(answer);
  if (bounds.deadline == std::chrono::steady_clock::time_point{}) {
    bounds.deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  }
  return send_http(request_to(server.address()), bounds);
}

TEST(SendHttp, ReadsAChunkedBody) {
  const HttpResponse response = answer_to_ping(
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\npo\r\n2;ext=1\r\nng\r\n0\r\n\r\n");
  EXPECT_EQ(response.error, "");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.head, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n");
  EXPECT_EQ(response.body, "pong");
}

// A header's value may follow its colon without a space.
TEST(SendHttp, ReadsChunkedWithoutASpaceAfterTheColon) {
  const HttpResponse response =
      answer_to_ping("HTTP/1.1 200 OK\r\nTransfer-Encoding:chunked\r\n\r\n4\r\npong\r\n0\r\n\r\n");
  EXPECT_EQ(response.error, "");
  EXPECT_EQ(response.body, "pong");
}

// Chunked last in a list of codings frames the body; the others are the body's own (not undone).
TEST(SendHttp, ReadsChunkedAfterAnotherCoding) {
  const HttpResponse response = answer_to_ping(
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n3\r\n\x1f\x8b\x08\r\n0\r\n\r\n");
  EXPECT_EQ(response.error, "");
  EXPECT_EQ(response.body, "\x1f\x8b\x08");
}

// A chunk size that is no hex number is an error, not the last chunk.
TEST(SendHttp, AGarbageChunkSizeIsAnError) {
  const HttpResponse response = answer_to_ping(
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\npo\r\nzz\r\nng\r\n0\r\n\r\n");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "po");
  EXPECT_EQ(response.error, "malformed chunked body");
}

TEST(SendHttp, AnAnswerThatIsNotHttpIsMalformed) {
  const HttpResponse response = answer_to_ping("SSH-2.0-OpenSSH_9.2\r\n\r\n");
  EXPECT_TRUE(response.sent);
  EXPECT_FALSE(response.status.has_value());
  EXPECT_EQ(response.error, "malformed response");
}

// Only max_body bytes are kept, and a huge Content-Length reserves nothing.
TEST(SendHttp, ABodyLongerThanTheBoundIsCut) {
  HttpBounds bounds;
  bounds.max_body = 4;
  const HttpResponse response = answer_to_ping(
      "HTTP/1.1 200 OK\r\nContent-Length: 1099511627776\r\n\r\npong and more", bounds);
  EXPECT_EQ(response.error, "");
  EXPECT_EQ(response.body, "pong");
  EXPECT_TRUE(response.body_cut);
}

TEST(SendHttp, AHeadLongerThanTheBoundIsAnError) {
  const HttpResponse response = answer_to_ping(
      "HTTP/1.1 200 OK\r\nX-Long: " + std::string(HttpBounds::kMaxHead, 'x') + "\r\n\r\n");
  EXPECT_FALSE(response.status.has_value());
  EXPECT_EQ(response.error, "answer head longer than 16384 bytes");
}

// The answer to HEAD announces the length of a body it does not carry.
TEST(SendHttp, AnAnswerToHeadHasNoBody) {
  OneShotServer server("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\n");
  HttpRequest request = request_to(server.address());
  request.method = "HEAD";
  const HttpResponse response = send_http(request, std::chrono::seconds(30));
  EXPECT_EQ(response.error, "");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "");
}

// The server closes after an answer cut short: which framing it broke is named; without a
// framing the close ends the body.
TEST(SendHttp, AConnectionClosedMidAnswerNamesWhatWasCut) {
  const auto closed_after = [](const std::string& answer) {
    OneShotServer server(answer, true, {}, /*close_after=*/true);
    return send_http(request_to(server.address()), std::chrono::seconds(30));
  };
  EXPECT_EQ(closed_after("HTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\npong").error,
            "truncated body");
  EXPECT_EQ(closed_after("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n8\r\npong").error,
            "truncated chunked body");
  EXPECT_EQ(closed_after("HTTP/1.1 200 OK\r\nContent-").error, "malformed response");
  EXPECT_EQ(closed_after("").error, "connection closed without a response");
  const HttpResponse until_close = closed_after("HTTP/1.1 200 OK\r\n\r\npong");
  EXPECT_EQ(until_close.error, "");
  EXPECT_EQ(until_close.body, "pong");
}

}  // namespace
}  // namespace harness
