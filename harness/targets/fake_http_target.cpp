// fake-http-target: a tiny HTTP server shaped like the REST Fleet API, for the harness's request
// events. It binds 127.0.0.1:0, writes the ready file, and answers POST /api/v0/fleet/<route>:
// 400 "Missing header `Accept`" without Accept, else 200 with a body that echoes what arrived:
// "route=<route> content-type=<Content-Type> accept=<Accept> body=<body>".
// Three routes misbehave, for the harness's bounds on requests:
//   endless  200, a chunked body that never ends
//   silent   reads the request and never answers
//   trickle  200, a chunked body of one byte a second, never ending
#include <httplib.h>

#include <chrono>
#include <cstdio>
#include <future>
#include <string>
#include <thread>

#include "ready_file_writer.h"

int main() {
  httplib::Server server;
  server.Post("/api/v0/fleet/endless", [](const httplib::Request&, httplib::Response& response) {
    response.set_chunked_content_provider("application/octet-stream",
                                          [](std::size_t, httplib::DataSink& sink) {
                                            static const std::string block(64 * 1024, 'e');
                                            return sink.write(block.data(), block.size());
                                          });
  });
  server.Post("/api/v0/fleet/silent", [](const httplib::Request&, httplib::Response&) {
    std::promise<void>().get_future().wait();  // never set: the answer never comes
  });
  server.Post("/api/v0/fleet/trickle", [](const httplib::Request&, httplib::Response& response) {
    response.set_chunked_content_provider("text/plain", [](std::size_t, httplib::DataSink& sink) {
      // The slowness is the behaviour under test.
      std::this_thread::sleep_for(std::chrono::seconds(1));
      return sink.write("t", 1);
    });
  });
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
