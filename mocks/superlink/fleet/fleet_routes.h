// What the REST Fleet API (on starlette; the active version's routes) answers to one request,
// apart from how the request arrived: routing (404, 405 with `allow: POST`, 307 for a trailing
// slash), Flower's four header checks (400), the protobuf body (500 when it does not decode) and
// each route's handler on the state (create-node inserts a node, ...), with the per-route behaviour
// of 1.18 on empty or unknown ids. A handler's Python-level failure is a 500 whose traceback text
// the server prints on stderr, as uvicorn does.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "superlink/state/link_state.h"

namespace superlink {

struct FleetRequest {
  std::string method;
  std::string target;  // path and query, as on the request line
  std::optional<std::string> content_type, accept, host;
  std::string body;
};

struct FleetAnswer {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;  // content-type among them
  std::string body;
  std::string traceback;  // for a 500: what uvicorn prints on stderr, else empty
};

class FleetRoutes {
 public:
  explicit FleetRoutes(StateFactory& states);
  FleetAnswer answer(const FleetRequest& request);

 private:
  StateFactory& states_;
};

// Route `name`'s handler (create-node, ...; any version's) on the protobuf request `body`: the
// serialized response, or the PythonError the real one's message handler raises (of type
// kInvalidRunStatus for a run that is not running; google.protobuf.message.DecodeError for a
// body that does not decode). Shared by the REST and the gRPC Fleet API.
std::string handle_fleet_route(StateFactory& states, const std::string& name,
                               const std::string& body);

inline constexpr const char* kInvalidRunStatus = "flwr.common.typing.InvalidRunStatusException";

// uvicorn's access-log line, e.g.
// INFO:     127.0.0.1:50412 - "POST /api/v0/fleet/ping HTTP/1.1" 200 OK
std::string uvicorn_access_line(const std::string& client, int port, const std::string& method,
                                const std::string& target, const std::string& version, int status);

// The reason phrase Python's http.HTTPStatus gives `status` ("Temporary Redirect"); empty for
// a status it does not know.
std::string http_reason(int status);

}  // namespace superlink
