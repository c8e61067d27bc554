// A raw HTTP/1.1 client for tests: sends exactly the headers given (httplib's client adds an
// Accept header of its own, which would hide the missing-header cases).
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace superlink::testing {

struct HttpReply {
  int status = 0;  // 0: the connection closed without a status line
  std::string body;
  std::string head;  // the status line and the headers, as received (CRLF-separated)
};

HttpReply http_request(const std::string& host, int port, const std::string& method,
                       const std::string& path,
                       const std::vector<std::pair<std::string, std::string>>& headers,
                       const std::string& body);

// True once `reply` holds a whole answer: the head and as many body bytes as its
// Content-Length says (for readers that must not wait for the server to close).
bool whole_http_answer(const std::string& reply);

// POST with both Fleet API headers set to application/protobuf.
HttpReply fleet_post(const std::string& host, int port, const std::string& route,
                     const std::string& body);

}  // namespace superlink::testing
