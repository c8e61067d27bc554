// One HTTP/1.1 request over a plain loopback socket, written byte for byte as asked: unlike a
// general client it adds no header of its own (beyond Host, unless the request has one,
// Content-Length and Connection: close), so a scenario can send a request that lacks `Accept`.
// Shared by the harness's events and the mock's tests (superlink/testing/http_client.h).
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <optional>
#include <string>

namespace harness {

struct HttpRequest {
  std::string method = "POST";
  std::string address;  // "127.0.0.1:9095" (0.0.0.0 is reached through 127.0.0.1)
  std::string path;     // "/api/v0/fleet/ping"
  std::map<std::string, std::string> headers;
  std::string body;
};

struct HttpResponse {
  std::optional<int> status;
  std::string head;  // the status line and the headers as received, each ending in CRLF
  std::string body;
  bool body_cut = false;  // the body went on past HttpBounds::max_body; the rest was not read
  std::string error;      // "connection refused", "timed out", ... (empty on success)
  bool sent = false;      // the whole request went out (an error after it is the answer's)
};

// What bounds one request, whatever the server does (never answers, trickles, answers forever).
struct HttpBounds {
  static constexpr std::size_t kMaxBody = 64 * 1024;
  static constexpr std::size_t kMaxHead = 16 * 1024;

  std::chrono::steady_clock::time_point deadline;  // give up then: "timed out ..."
  // Give up once it is readable and nothing more has arrived (-1: never): error "cancelled".
  int cancel_fd = -1;
  std::size_t max_body = kMaxBody;
};

// Blocks until the whole answer has arrived, max_body bytes of its body have, the deadline has
// passed or cancel_fd became readable. Reads at most kMaxHead + max_body bytes (plus chunk
// framing) from the server.
HttpResponse send_http(const HttpRequest& request, const HttpBounds& bounds);

// The same with only a timeout from now.
HttpResponse send_http(const HttpRequest& request, std::chrono::milliseconds timeout);

}  // namespace harness
