// One HTTP/1.1 request over a plain loopback socket, written byte for byte as asked: unlike a
// general client it adds no header of its own (beyond Host, Content-Length and
// Connection: close), so a scenario can send a request that lacks `Accept`.
#pragma once

#include <chrono>
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
  std::string body;
  std::string error;  // "connection refused", "timed out", ... (empty on success)
};

// Blocks until the whole response has arrived or `timeout` has passed.
HttpResponse send_http(const HttpRequest& request, std::chrono::milliseconds timeout);

}  // namespace harness
