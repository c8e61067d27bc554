// HTTP for the mock's tests: requests with exactly the headers given, through the project's one
// client (harness/http/send_http.h: bounded, with a deadline), and the raw-socket helpers that
// pipelined and concurrent tests need.
#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace superlink::test_support {

struct HttpReply {
  int status = 0;  // 0: the connection closed without a status line
  std::string body;
  std::string head;  // the status line and the headers, as received (CRLF-separated)
};

// Throws std::runtime_error when the request could not be sent (nothing listens, ...). Headers
// are sent in name order; Host is `host` alone. Gives up after 30 s.
HttpReply http_request(const std::string& host, int port, const std::string& method,
                       const std::string& path,
                       const std::vector<std::pair<std::string, std::string>>& headers,
                       const std::string& body);

// True once `reply` holds a whole answer: the head and as many body bytes as its
// Content-Length says (for readers that must not wait for the server to close).
bool whole_http_answer(const std::string& reply);

// How many whole answers `data` starts with (each a head and its Content-Length body; header
// names in any case), for pipelined or concurrent readers.
int whole_http_answers(const std::string& data);

// A TCP connection to 127.0.0.1:port (non-blocking on request, the connect then under way);
// -1 when it cannot be made.
int connect_loopback(int port, bool nonblocking = false);

// A blocking connection to 127.0.0.1:port for tests that make thousands: closed with RST, so it
// leaves no TIME_WAIT behind, and a read gives up after `read_timeout`. -1 when it cannot be made.
int connect_loopback_reset(int port, std::chrono::seconds read_timeout);

// Reads from `fd` (as from connect_loopback_reset) into `reply` until it holds a whole answer or
// the server closes or resets the connection: true then; false when the read timed out.
bool read_answer(int fd, std::string& reply);

// Writes `request` to `fd` while reading, until `answers` whole answers came, the peer closed, or
// `timeout` passed (poll(2), no sleeping). Returns all that was read.
std::string http_exchange(int fd, const std::string& request, int answers,
                          std::chrono::milliseconds timeout);

// POST with both Fleet API headers set to application/protobuf.
HttpReply fleet_post(const std::string& host, int port, const std::string& route,
                     const std::string& body);

}  // namespace superlink::test_support
