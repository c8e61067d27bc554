// fake-http-target: a tiny HTTP server shaped like the REST Fleet API, for the harness's request
// events. It binds 127.0.0.1:0, writes the ready file, and answers POST /api/v0/fleet/<route>:
// 400 "Missing header `Accept`" without Accept, else 200 with a body that echoes what arrived:
// "route=<route> content-type=<Content-Type> accept=<Accept> body=<body>".
#include <httplib.h>

#include <cstdio>
#include <string>

#include "ready_file_writer.h"

int main() {
  httplib::Server server;
  server.Post(R"(/api/v0/fleet/([a-z-]+))",
              [](const httplib::Request& request, httplib::Response& response) {
                if (!request.has_header("Accept")) {
                  response.status = 400;
                  response.set_content("Missing header `Accept`", "text/plain");
                  return;
                }
                response.set_content(
                    "route=" + request.matches[1].str() +
                        " content-type=" + request.get_header_value("Content-Type") +
                        " accept=" + request.get_header_value("Accept") + " body=" + request.body,
                    "application/protobuf");
              });
  const int port = server.bind_to_any_port("127.0.0.1");
  if (port < 0) return 3;
  std::fprintf(stderr, "listening on 127.0.0.1:%d\n", port);
  const std::string json =
      "{\"pid\": 0, \"addresses\": {\"fleet\": \"127.0.0.1:" + std::to_string(port) + "\"}}";
  if (!targets::write_ready_file(json)) return 4;
  return server.listen_after_bind() ? 0 : 5;
}
