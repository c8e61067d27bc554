#include "superlink/rest_server.h"

#include <httplib.h>
#include <spdlog/spdlog.h>

#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <thread>

#include "failpoint/failpoint.h"
#include "superlink/fleet_messages.h"
#include "superlink/flower_log.h"

namespace superlink {
namespace {

constexpr const char* kProtobuf = "application/protobuf";
constexpr const char* kPrefix = "/api/v0/fleet/";

// The seven routes; each decodes its request (a bad body throws) and answers the response.
struct Route {
  const char* name;
  std::function<std::string(RestServer&, const std::string&)> answer;
};

// Flower's header checks, in Flower's order; empty when the request may go on.
std::string header_error(const httplib::Request& request) {
  if (!request.has_header("Content-Type")) return "Missing header `Content-Type`";
  if (request.get_header_value("Content-Type") != kProtobuf) return "Unsupported `Content-Type`";
  if (!request.has_header("Accept")) return "Missing header `Accept`";
  if (request.get_header_value("Accept") != kProtobuf) return "Unsupported `Accept`";
  return {};
}

std::optional<int> parse_status(const std::string& text) {
  int status = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), status);
  if (error != std::errc{} || end != text.data() + text.size() || status < 100 || status > 599) {
    return std::nullopt;
  }
  return status;
}

}  // namespace

std::string uvicorn_bind_error(const std::string& host, int port, int error) {
  std::string reason = std::strerror(error);
  if (!reason.empty())
    reason[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(reason[0])));
  return "ERROR:    [Errno " + std::to_string(error) +
         "] error while attempting to bind on address ('" + host + "', " + std::to_string(port) +
         "): " + reason + "\n";
}

RestServer::RestServer()
    : server_(std::make_unique<httplib::Server>()), node_ids_(std::random_device{}()) {
  add_routes();
}

RestServer::~RestServer() = default;

std::uint64_t RestServer::fresh_node_id() {
  std::lock_guard lock(mutex_);
  std::uint64_t id = 0;
  while (id == 0) id = node_ids_();
  return id;
}

void RestServer::stop_from_handler(std::exception_ptr cause) {
  {
    std::lock_guard lock(mutex_);
    if (!cause_) cause_ = cause;
  }
  server_->stop();  // a handler only runs while the server runs, so this stop is never lost
}

void RestServer::stop() {
  while (!server_->is_running()) std::this_thread::yield();
  server_->stop();
}

// Site rest.request, before routing. Returns true when the request was answered here.
bool RestServer::before_routing(const std::string& path, int& status) {
  std::optional<std::string> fired;
  try {
    fired = FAILPOINT("rest.request");
  } catch (...) {
    stop_from_handler(std::current_exception());
    status = 500;
    return true;
  }
  if (!fired) return false;
  if (fired->empty()) {
    // `return` without a status: the REST thread ends quietly, like uvicorn's sys.exit.
    stop_from_handler(nullptr);
    status = 503;
    return true;
  }
  if (auto parsed = parse_status(*fired)) {
    status = *parsed;
    return true;
  }
  spdlog::error(
      "failpoint rest.request: return({}) is not an HTTP status (100-599); answering "
      "500 to {}",
      *fired, path);
  status = 500;
  return true;
}

void RestServer::add_routes() {
  static const Route kRoutes[] = {
      {"create-node",
       [](RestServer& self, const std::string& body) {
         fleet::decode_create_node_request(body);
         return fleet::encode(fleet::CreateNodeResponse{{self.fresh_node_id()}});
       }},
      {"delete-node",
       [](RestServer&, const std::string& body) {
         fleet::decode_delete_node_request(body);
         return std::string();  // DeleteNodeResponse{}
       }},
      {"pull-messages",
       [](RestServer&, const std::string& body) {
         fleet::decode_pull_messages_request(body);
         return std::string();  // PullMessagesResponse{}: no reconnect, no messages
       }},
      {"push-messages",
       [](RestServer&, const std::string& body) {
         fleet::decode_push_messages_request(body);
         return std::string();  // PushMessagesResponse{}
       }},
      {"ping",
       [](RestServer&, const std::string& body) {
         fleet::decode_ping_request(body);
         return fleet::encode(fleet::PingResponse{true});
       }},
      {"get-run",
       [](RestServer&, const std::string& body) {
         const auto request = fleet::decode_get_run_request(body);
         return fleet::encode(fleet::GetRunResponse{request.run_id});
       }},
      {"get-fab",
       [](RestServer&, const std::string& body) {
         const auto request = fleet::decode_get_fab_request(body);
         return fleet::encode(fleet::GetFabResponse{request.hash_str, {}});
       }},
  };

  server_->set_pre_routing_handler(
      [this](const httplib::Request& request, httplib::Response& response) {
        int status = 0;
        if (!before_routing(request.path, status))
          return httplib::Server::HandlerResponse::Unhandled;
        response.status = status;
        return httplib::Server::HandlerResponse::Handled;
      });

  const auto method_not_allowed = [](const httplib::Request&, httplib::Response& response) {
    response.status = 405;
    response.set_content("Method Not Allowed", "text/plain");
  };
  for (const Route& route : kRoutes) {
    const std::string path = std::string(kPrefix) + route.name;
    server_->Post(
        path, [this, &route](const httplib::Request& request, httplib::Response& response) {
          if (std::string error = header_error(request); !error.empty()) {
            response.status = 400;
            response.set_content(error, "text/plain");
            return;
          }
          try {
            response.set_content(route.answer(*this, request.body), kProtobuf);
          } catch (const std::exception& e) {
            // Flower answers 500 for a body that does not decode; the server goes on.
            response.status = 500;
            response.set_content(std::string("Internal Server Error: ") + e.what(), "text/plain");
          }
        });
    server_->Get(path, method_not_allowed);
    server_->Put(path, method_not_allowed);
    server_->Patch(path, method_not_allowed);
    server_->Delete(path, method_not_allowed);
    server_->Options(path, method_not_allowed);
  }
}

void RestServer::run(const std::string& host, int port, const std::function<void(int)>& on_bound) {
  if (FAILPOINT("rest.start")) return;
  spdlog::info("Starting Flower REST server");
  errno = 0;
  int bound = port;
  if (port == 0) {
    bound = server_->bind_to_any_port(host);
  } else if (!server_->bind_to_port(host, port)) {
    bound = -1;
  }
  if (bound < 0) {
    // errno is still bind(2)'s: httplib only closes the socket after the failed bind.
    write_raw_stderr(uvicorn_bind_error(host, port, errno));
    return;
  }
  if (FAILPOINT("rest.listen")) return;
  on_bound(bound);
  server_->listen_after_bind();
  std::lock_guard lock(mutex_);
  if (cause_) std::rethrow_exception(cause_);
}

}  // namespace superlink
