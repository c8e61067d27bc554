#include "superlink/fleet/fleet_routes.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <functional>
#include <vector>

#include "flower_api/fleet.pb.h"
#include "superlink/flower/python_error.h"
#include "superlink/flower/version_profile.h"

namespace superlink {
namespace {

constexpr const char* kProtobuf = "application/protobuf";
constexpr const char* kPlainText = "text/plain; charset=utf-8";
constexpr const char* kPrefix = "/api/v0/fleet/";
constexpr std::uint64_t kSuperlinkNodeId = 1;  // Flower's SUPERLINK_NODE_ID

// Flower's check_abort for the REST routes: a run that is not running aborts the request.
void abort_unless_running(LinkState& state, std::uint64_t run_id) {
  const auto status = state.run_status(run_id);
  // get_run_status({run_id})[run_id] on an unknown run
  if (!status) throw PythonError("KeyError", std::to_string(run_id));
  const char* message = nullptr;
  switch (*status) {
    case RunStatus::kPending:
      message = "Run is pending.";
      break;
    case RunStatus::kStarting:
      message = "Run is starting.";
      break;
    case RunStatus::kFinished:
      message = "Run is finished.";
      break;
    case RunStatus::kRunning:
      return;
  }
  throw PythonError(kInvalidRunStatus, message);
}

template <typename Message>
Message decode(const std::string& body) {
  Message message;
  if (!message.ParseFromString(body)) {
    throw PythonError("google.protobuf.message.DecodeError",
                      "Error parsing message with type '" + message.GetTypeName() + "'");
  }
  return message;
}

using Handler = std::function<std::string(StateFactory&, const std::string& body)>;

struct Route {
  const char* name;
  const char* function;  // rest_api.py's function for the route, for the traceback
  Handler handle;
};

// A handler for every route of every version; the active version's list of names
// (superlink_api/fleet_api_names.h, through its profile) decides which are served.
const std::vector<Route>& routes() {
  using namespace flwr::proto;
  static const std::vector<Route> kRoutes{{
      {"create-node", "create_node",
       [](StateFactory& states, const std::string& body) {
         const auto request = decode<CreateNodeRequest>(body);
         CreateNodeResponse response;
         response.mutable_node()->set_node_id(states.state()->create_node(request.ping_interval()));
         return response.SerializeAsString();
       }},
      {"delete-node", "delete_node",
       [](StateFactory& states, const std::string& body) {
         const auto request = decode<DeleteNodeRequest>(body);
         const auto state = states.state();
         const std::uint64_t id = request.node().node_id();
         if (id != 0 && !state->delete_node(id)) {
           throw PythonError("ValueError", "Node " + std::to_string(id) + " not found");
         }
         return DeleteNodeResponse().SerializeAsString();
       }},
      {"pull-messages", "pull_message",
       [](StateFactory& states, const std::string& body) {
         const auto request = decode<PullMessagesRequest>(body);
         states.state();
         // The SQLite state's get_message_ins refuses the SuperLink's own node; the in-memory
         // one has no such check and finds no messages for it.
         if (request.node().node_id() == kSuperlinkNodeId && !states.in_memory()) {
           throw PythonError("AssertionError",
                             "`node_id` must be != " + std::to_string(kSuperlinkNodeId));
         }
         return PullMessagesResponse().SerializeAsString();  // the mock never holds messages
       }},
      {"push-messages", "push_message",
       [](StateFactory& states, const std::string& body) {
         const auto request = decode<PushMessagesRequest>(body);
         const auto state = states.state();
         if (request.messages_list_size() == 0) {
           throw PythonError("IndexError",
                             "list index (0) out of range");  // protobuf's C++ containers
         }
         abort_unless_running(*state, request.messages_list(0).metadata().run_id());
         PushMessagesResponse response;
         response.mutable_reconnect()->set_reconnect(5);
         return response.SerializeAsString();
       }},
      {"ping", "ping",
       [](StateFactory& states, const std::string& body) {
         const auto request = decode<PingRequest>(body);
         PingResponse response;
         response.set_success(
             states.state()->acknowledge_ping(request.node().node_id(), request.ping_interval()));
         return response.SerializeAsString();
       }},
      {"get-run", "get_run",
       [](StateFactory& states, const std::string& body) {
         const auto request = decode<GetRunRequest>(body);
         const auto state = states.state();
         GetRunResponse response;
         if (!state->run_status(request.run_id())) {
           // The state's get_run says so before the empty answer, each state in its words.
           if (active_profile().logs_get_run_of_unknown_run) {
             spdlog::error(states.in_memory() ? "`run_id` is invalid" : "`run_id` does not exist.");
           }
           return response.SerializeAsString();
         }
         abort_unless_running(*state, request.run_id());
         response.mutable_run()->set_run_id(request.run_id());
         return response.SerializeAsString();
       }},
      {"get-fab", "get_fab",
       [](StateFactory& states, const std::string& body) {
         const auto request = decode<GetFabRequest>(body);
         const auto state = states.state();
         abort_unless_running(*state, request.run_id());
         // The mock keeps no FABs.
         throw PythonError("ValueError", "Found no FAB with hash: " + request.hash_str());
         return std::string();
       }},
      // 1.26.1's own routes: the same header checks and decoding; their effect on the mock's
      // state is the nearest 1.18 one (register-node creates a node, unregister-node deletes
      // it, send-node-heartbeat is ping), the object routes find and store nothing.
      {"register-node", "register_node",
       [](StateFactory& states, const std::string& body) {
         decode<RegisterNodeFleetRequest>(body);
         RegisterNodeFleetResponse response;
         response.set_node_id(states.state()->create_node(0));
         return response.SerializeAsString();
       }},
      {"activate-node", "activate_node",
       [](StateFactory& states, const std::string& body) {
         decode<ActivateNodeRequest>(body);
         states.state();
         return ActivateNodeResponse().SerializeAsString();
       }},
      {"deactivate-node", "deactivate_node",
       [](StateFactory& states, const std::string& body) {
         decode<DeactivateNodeRequest>(body);
         states.state();
         return DeactivateNodeResponse().SerializeAsString();
       }},
      {"unregister-node", "unregister_node",
       [](StateFactory& states, const std::string& body) {
         const auto request = decode<UnregisterNodeFleetRequest>(body);
         if (request.node_id() != 0) states.state()->delete_node(request.node_id());
         return UnregisterNodeFleetResponse().SerializeAsString();
       }},
      {"send-node-heartbeat", "send_node_heartbeat",
       [](StateFactory& states, const std::string& body) {
         const auto request = decode<SendNodeHeartbeatRequest>(body);
         SendNodeHeartbeatResponse response;
         response.set_success(states.state()->acknowledge_ping(request.node().node_id(),
                                                               request.heartbeat_interval()));
         return response.SerializeAsString();
       }},
      {"pull-object", "pull_object",
       [](StateFactory& states, const std::string& body) {
         const auto request = decode<PullObjectRequest>(body);
         abort_unless_running(*states.state(), request.run_id());
         return PullObjectResponse().SerializeAsString();  // the mock keeps no objects
       }},
      {"push-object", "push_object",
       [](StateFactory& states, const std::string& body) {
         const auto request = decode<PushObjectRequest>(body);
         abort_unless_running(*states.state(), request.run_id());
         return PushObjectResponse().SerializeAsString();
       }},
      {"confirm-message-received", "confirm_message_received",
       [](StateFactory& states, const std::string& body) {
         const auto request = decode<ConfirmMessageReceivedRequest>(body);
         abort_unless_running(*states.state(), request.run_id());
         return ConfirmMessageReceivedResponse().SerializeAsString();
       }},
  }};
  return kRoutes;
}

const Route* find_route(const std::string& path) {
  if (path.rfind(kPrefix, 0) != 0) return nullptr;
  const std::string name = path.substr(std::string(kPrefix).size());
  const auto served = active_profile().fleet_routes;
  if (std::find(served.begin(), served.end(), name) == served.end()) return nullptr;
  for (const Route& route : routes()) {
    if (name == route.name) return &route;
  }
  return nullptr;
}

FleetAnswer plain(int status, std::string text) {
  return {status, {{"content-type", kPlainText}}, std::move(text), {}};
}

// Flower's header checks, in Flower's order; empty when the request may go on.
std::string header_error(const FleetRequest& request) {
  if (!request.content_type) return "Missing header `Content-Type`";
  if (*request.content_type != kProtobuf) return "Unsupported `Content-Type`";
  if (!request.accept) return "Missing header `Accept`";
  if (*request.accept != kProtobuf) return "Unsupported `Accept`";
  return {};
}

std::string traceback(const Route& route, const PythonError& error) {
  const bool decoding = error.type() == "google.protobuf.message.DecodeError";
  std::string text =
      "ERROR:    Exception in ASGI application\n"
      "Traceback (most recent call last):\n"
      "  File \".../flwr/server/superlink/fleet/rest_rere/rest_api.py\", line ";
  text += decoding ? "76, in wrapper\n"
                   : std::string(
                         "77, in wrapper\n  File \".../flwr/server/"
                         "superlink/fleet/rest_rere/rest_api.py\", in ") +
                         route.function + "\n";
  text += error.type() + ": " + error.what() + "\n";
  return text;
}

}  // namespace

std::string handle_fleet_route(StateFactory& states, const std::string& name,
                               const std::string& body) {
  for (const Route& route : routes()) {
    if (name == route.name) return route.handle(states, body);
  }
  throw PythonError("KeyError", "'" + name + "'");
}

FleetRoutes::FleetRoutes(StateFactory& states) : states_(states) {
  // A body that does not parse is answered 500 with its traceback; libprotobuf's own complaint
  // (invalid UTF-8 in a string field) would be a line the real one never prints.
  google::protobuf::SetLogHandler(nullptr);
}

FleetAnswer FleetRoutes::answer(const FleetRequest& request) {
  const std::string path = request.target.substr(0, request.target.find('?'));
  const Route* route = find_route(path);
  if (route == nullptr) {
    // starlette's redirect_slashes: the same path without its trailing slash is a route.
    if (path.size() > 1 && path.back() == '/' && find_route(path.substr(0, path.size() - 1))) {
      std::string location = "http://" + request.host.value_or("127.0.0.1") +
                             request.target.substr(0, path.size() - 1) +
                             request.target.substr(path.size());
      return {307, {{"location", std::move(location)}}, "", {}};
    }
    return plain(404, "Not Found");
  }
  if (request.method != "POST") {
    FleetAnswer answer = plain(405, "Method Not Allowed");
    answer.headers.emplace_back("allow", "POST");
    return answer;
  }
  if (std::string error = header_error(request); !error.empty()) return plain(400, error);
  try {
    return {200, {{"content-type", kProtobuf}}, route->handle(states_, request.body), {}};
  } catch (const PythonError& error) {
    FleetAnswer answer = plain(500, "Internal Server Error");
    answer.traceback = traceback(*route, error);
    return answer;
  }
}

std::string http_reason(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 204:
      return "No Content";
    case 307:
      return "Temporary Redirect";
    case 400:
      return "Bad Request";
    case 404:
      return "Not Found";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 413:
      return "Request Entity Too Large";
    case 418:
      return "I'm a Teapot";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    default:
      return "";
  }
}

std::string uvicorn_access_line(const std::string& client, int port, const std::string& method,
                                const std::string& target, const std::string& version, int status) {
  std::string line = "INFO:     " + client + ":" + std::to_string(port) + " - \"" + method + " " +
                     target + " HTTP/" + version + "\" " + std::to_string(status);
  if (const std::string reason = http_reason(status); !reason.empty()) line += " " + reason;
  return line + "\n";
}

}  // namespace superlink
