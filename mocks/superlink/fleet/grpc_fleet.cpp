#include "superlink/fleet/grpc_fleet.h"

#include <failpoint/failpoint.h>
#include <google/protobuf/descriptor.h>
#include <google/protobuf/dynamic_message.h>
#include <google/protobuf/message.h>
#include <grpcpp/generic/async_generic_service.h>
#include <grpcpp/grpcpp.h>
#include <spdlog/spdlog.h>

#include <array>
#include <cctype>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include "flower_api/fleet.pb.h"
#include "flower_api/fleet_api_names.h"
#include "flower_api/fleet_messages.h"
#include "superlink/fleet/fleet_routes.h"
#include "superlink/fleet/grpc_listener.h"
#include "superlink/fleet/node_auth.h"
#include "superlink/flower/message_dict.h"
#include "superlink/flower/python_error.h"
#include "superlink/flower/version_profile.h"

namespace superlink {
namespace {

using grpc::Status;
using grpc::StatusCode;
using superlink_api::FleetRpc;

constexpr int kMaxMessageLength = 536870912;  // Flower's GRPC_MAX_MESSAGE_LENGTH
// Flower's TIMESTAMP_TOLERANCE and SYSTEM_TIME_TOLERANCE: a signed timestamp is good from 5 s in
// the future to 15 s in the past.
constexpr double kMinTimestampDiff = -5;
constexpr double kMaxTimestampDiff = 15;
// grpcio's answer when the interceptor (the authentication) raises.
const Status kServicingError(StatusCode::UNKNOWN, "Error in service handler!");

bool is_1_18() {
  return active_profile().name == "1.18";
}

const FleetRpc* find_rpc(const std::string& name) {
  const auto* names = superlink_api::find_version(active_profile().name);
  return names == nullptr ? nullptr : superlink_api::find_rpc(*names, name);
}

// "CreateNode" -> "create-node": the REST route with the same handler.
std::string route_of(std::string_view rpc) {
  std::string route;
  for (const char c : rpc) {
    if (std::isupper(static_cast<unsigned char>(c)) && !route.empty()) route += '-';
    route += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return route;
}

// The status a `return(ARG)` at a grpc.* site answers: a gRPC status name or number; a bare
// `return` is an exception in the handler.
Status status_of_return(const std::string& site, const std::string& arg) {
  static constexpr std::array<const char*, 17> kNames{"OK",
                                                      "CANCELLED",
                                                      "UNKNOWN",
                                                      "INVALID_ARGUMENT",
                                                      "DEADLINE_EXCEEDED",
                                                      "NOT_FOUND",
                                                      "ALREADY_EXISTS",
                                                      "PERMISSION_DENIED",
                                                      "RESOURCE_EXHAUSTED",
                                                      "FAILED_PRECONDITION",
                                                      "ABORTED",
                                                      "OUT_OF_RANGE",
                                                      "UNIMPLEMENTED",
                                                      "INTERNAL",
                                                      "UNAVAILABLE",
                                                      "DATA_LOSS",
                                                      "UNAUTHENTICATED"};
  for (std::size_t code = 0; code < kNames.size(); ++code) {
    if (arg == kNames[code] || arg == std::to_string(code)) {
      return Status(static_cast<StatusCode>(code), "failpoint " + site);
    }
  }
  return Status(StatusCode::UNKNOWN, "Exception calling application: failpoint " + site);
}

// The last value of `key` in the call's metadata (Python's dict() of it keeps the last).
std::optional<std::string> metadata_value(const grpc::GenericCallbackServerContext& context,
                                          const char* key) {
  std::optional<std::string> found;
  for (const auto& [name, value] : context.client_metadata()) {
    if (name == key) found = std::string(value.data(), value.size());
  }
  return found;
}

std::string node_id_field(const google::protobuf::Message& request) {
  const auto* descriptor = request.GetDescriptor();
  if (const auto* node = descriptor->FindFieldByName("node")) {
    const auto& message = request.GetReflection()->GetMessage(request, node);
    return std::to_string(static_cast<const flwr::proto::Node&>(message).node_id());
  }
  if (const auto* id = descriptor->FindFieldByName("node_id")) {
    return std::to_string(request.GetReflection()->GetUInt64(request, id));
  }
  return "0";
}

class Fleet {
 public:
  explicit Fleet(StateFactory& states) : states_(states) {}

  // What the interceptor decides before the request is read: a status to end the call with, or
  // nothing (then `rpc` and `public_key` are set).
  std::optional<Status> authenticate(const grpc::GenericCallbackServerContext& context,
                                     const FleetRpc*& rpc, std::string& public_key,
                                     std::optional<std::uint64_t>& expected_node) {
    const std::string& method = context.method();
    const std::string prefix(superlink_api::kFleetServicePrefix);
    if (method.rfind(prefix, 0) != 0) {
      if (is_1_18()) {
        return Status(StatusCode::FAILED_PRECONDITION,
                      "This request should be sent to a different service.");
      }
      return Status(StatusCode::UNIMPLEMENTED, "Method not found!");
    }
    const std::string name = method.substr(prefix.size());
    try {
      std::shared_ptr<LinkState> state;
      if (is_1_18()) state = states_.state();
      auto key = metadata_value(context, kPublicKeyHeader);
      auto timestamp = metadata_value(context, kTimestampHeader);
      auto signature = metadata_value(context, kSignatureHeader);
      if (!key || !timestamp || !signature) {
        return Status(StatusCode::UNAUTHENTICATED, "Missing authentication metadata");
      }
      if (!verify_node_signature(*key, *timestamp, *signature)) {
        return Status(StatusCode::UNAUTHENTICATED, "Invalid signature");
      }
      const double diff = seconds_since(*timestamp);
      if (!(kMinTimestampDiff < diff && diff < kMaxTimestampDiff)) {
        return Status(StatusCode::UNAUTHENTICATED, "Invalid timestamp");
      }
      if (is_1_18()) {
        expected_node = state->node_id_of_key(*key);
        if (!name.ends_with("CreateNode") && !expected_node) {
          return Status(StatusCode::UNAUTHENTICATED, "Invalid node ID");
        }
      }
      public_key = std::move(*key);
    } catch (const std::exception&) {
      return kServicingError;
    }
    rpc = find_rpc(name);
    // No handler for the name: the interceptor's wrapper fails on it (AttributeError).
    if (rpc == nullptr) return kServicingError;
    return std::nullopt;
  }

  // The call once its request arrived: the status, and the response when it is OK.
  Status serve(const FleetRpc& rpc, const std::string& public_key,
               std::optional<std::uint64_t> expected_node, const std::string& body,
               std::string& response) {
    auto request = superlink::new_fleet_message(rpc.request);
    if (!request || !request->ParseFromString(body)) {
      return Status(StatusCode::INTERNAL, "Exception deserializing request!");
    }
    try {
      if (auto denied = check_node(rpc, *request, public_key, expected_node)) return *denied;
      if (const auto fired = FAILPOINT("grpc.handler")) {
        return status_of_return("grpc.handler", *fired);
      }
      return handle(rpc, *request, public_key, body, response);
    } catch (const PythonError& error) {
      return Status(StatusCode::UNKNOWN,
                    std::string("Exception calling application: ") + error.what());
    } catch (const failpoint::Panic& panic) {
      const std::string message = panic.message().empty() ? panic.what() : panic.message();
      return Status(StatusCode::UNKNOWN, "Exception calling application: " + message);
    } catch (const std::exception& error) {
      return Status(StatusCode::UNKNOWN,
                    std::string("Exception calling application: ") + error.what());
    }
  }

 private:
  // The interceptor's wrapper: a call other than the ones that make a node must name the node
  // its key is mapped to.
  std::optional<Status> check_node(const FleetRpc& rpc, const google::protobuf::Message& request,
                                   const std::string& public_key,
                                   std::optional<std::uint64_t> expected_node) {
    const std::string_view name = rpc.name;
    if (name == "CreateNode" || name == "RegisterNode" || name == "ActivateNode") {
      return std::nullopt;
    }
    const std::string received = node_id_field(request);
    if (!is_1_18()) expected_node = states_.state()->node_id_of_key(public_key);
    const std::string expected = expected_node ? std::to_string(*expected_node) : "none";
    if (received != expected) return Status(StatusCode::UNAUTHENTICATED, "Invalid node ID");
    return std::nullopt;
  }

  static void debug_dict(std::string_view rpc, const char* what,
                         const google::protobuf::Message& message) {
    if (spdlog::should_log(spdlog::level::debug)) {
      spdlog::debug("[Fleet.{}] {}: {}", rpc, what, python_message_dict(message));
    }
  }

  Status handle(const FleetRpc& rpc, const google::protobuf::Message& request,
                const std::string& public_key, const std::string& body, std::string& response) {
    using namespace flwr::proto;
    const std::string_view name = rpc.name;
    const std::string route = route_of(name);
    const auto run = [&] { return handle_fleet_route(states_, route, body); };
    const auto aborting_run = [&]() -> std::optional<Status> {
      try {
        response = run();
      } catch (const PythonError& error) {
        if (error.type() != kInvalidRunStatus) throw;
        return Status(StatusCode::PERMISSION_DENIED, error.what());
      }
      return std::nullopt;
    };
    if (name == "CreateNode") {
      const auto& create = static_cast<const CreateNodeRequest&>(request);
      spdlog::info("[Fleet.CreateNode] Request ping_interval={}",
                   python_float(create.ping_interval()));
      debug_dict(name, "Request", request);
      response = run();
      CreateNodeResponse created;
      created.ParseFromString(response);
      spdlog::info("[Fleet.CreateNode] Created node_id={}", created.node().node_id());
      debug_dict(name, "Response", created);
      const auto state = states_.state();
      try {
        state->set_node_public_key(created.node().node_id(), public_key);
      } catch (const PythonError& error) {
        if (error.type() != "ValueError") throw;
        state->delete_node(created.node().node_id());
        return Status(StatusCode::UNAUTHENTICATED, error.what());
      }
      return Status::OK;
    }
    if (name == "DeleteNode") {
      spdlog::info("[Fleet.DeleteNode] Delete node_id={}",
                   static_cast<const DeleteNodeRequest&>(request).node().node_id());
      debug_dict(name, "Request", request);
    } else if (name == "Ping") {
      debug_dict(name, "Request", request);
    } else if (name == "PullMessages") {
      spdlog::info("[Fleet.PullMessages] node_id={}",
                   static_cast<const PullMessagesRequest&>(request).node().node_id());
      debug_dict(name, "Request", request);
    } else if (name == "PushMessages") {
      const auto& push = static_cast<const PushMessagesRequest&>(request);
      if (push.messages_list_size() > 0) {
        spdlog::info("[Fleet.PushMessages] Push replies from node_id={}",
                     push.messages_list(0).metadata().src_node_id());
      } else {
        spdlog::info("[Fleet.PushMessages] No replies to push");
      }
      if (auto denied = aborting_run()) return *denied;
      return Status::OK;
    } else if (name == "GetRun") {
      spdlog::info("[Fleet.GetRun] Requesting `Run` for run_id={}",
                   static_cast<const GetRunRequest&>(request).run_id());
      if (auto denied = aborting_run()) return *denied;
      return Status::OK;
    } else if (name == "GetFab") {
      spdlog::info("[Fleet.GetFab] Requesting FAB for fab_hash={}",
                   static_cast<const GetFabRequest&>(request).hash_str());
      if (!is_1_18()) {
        // 1.26 aborts on a ValueError too (no FAB of that hash).
        try {
          if (auto denied = aborting_run()) return *denied;
        } catch (const PythonError& error) {
          if (error.type() != "ValueError") throw;
          return Status(StatusCode::PERMISSION_DENIED, error.what());
        }
        return Status::OK;
      }
      if (auto denied = aborting_run()) return *denied;
      return Status::OK;
    } else if (name == "RegisterNode") {
      RegisterNodeFleetResponse registered;
      registered.ParseFromString(run());
      const auto state = states_.state();
      const auto& key = static_cast<const RegisterNodeFleetRequest&>(request).public_key();
      try {
        state->set_node_public_key(registered.node_id(), key);
      } catch (const PythonError& error) {
        if (error.type() != "ValueError") throw;
        state->delete_node(registered.node_id());
        spdlog::error("[Fleet.RegisterNode] Registration failed: Public key already in use.");
        return Status(StatusCode::FAILED_PRECONDITION, "Public key already in use.");
      }
      spdlog::debug("[Fleet.RegisterNode] Registered node_id={}", registered.node_id());
      response = registered.SerializeAsString();
      return Status::OK;
    } else if (name == "ActivateNode") {
      const auto& activate = static_cast<const ActivateNodeRequest&>(request);
      const auto node = states_.state()->node_id_of_key(activate.public_key());
      if (!node) {
        const std::string reason = "Node not found";
        spdlog::error("[Fleet.ActivateNode] Activation failed: {}", reason);
        return Status(StatusCode::FAILED_PRECONDITION, reason);
      }
      states_.state()->acknowledge_ping(*node, activate.heartbeat_interval());
      ActivateNodeResponse activated;
      activated.set_node_id(*node);
      spdlog::info("[Fleet.ActivateNode] Activated node_id={}", *node);
      response = activated.SerializeAsString();
      return Status::OK;
    } else if (name == "DeactivateNode") {
      response = run();
      spdlog::info("[Fleet.DeactivateNode] Deactivated node_id={}",
                   static_cast<const DeactivateNodeRequest&>(request).node_id());
      return Status::OK;
    } else if (name == "UnregisterNode") {
      response = run();
      spdlog::debug("[Fleet.UnregisterNode] Unregistered node_id={}",
                    static_cast<const UnregisterNodeFleetRequest&>(request).node_id());
      return Status::OK;
    } else if (name == "SendNodeHeartbeat") {
      debug_dict(name, "Request", request);
    } else if (name == "PushObject" || name == "PullObject" || name == "ConfirmMessageReceived") {
      if (auto denied = aborting_run()) return *denied;
      return Status::OK;
    }
    response = run();
    return Status::OK;
  }

  StateFactory& states_;
};

// One call: authenticated when it arrives, served when its one request message is read.
class FleetCall final : public grpc::ServerGenericBidiReactor {
 public:
  FleetCall(Fleet& fleet, grpc::GenericCallbackServerContext* context)
      : fleet_(fleet), context_(context) {
    const std::lock_guard<std::recursive_mutex> reacting(reacting_);
    try {
      if (const auto fired = FAILPOINT("grpc.request")) {
        Finish(status_of_return("grpc.request", *fired));
        return;
      }
    } catch (const failpoint::Panic& panic) {
      const std::string message = panic.message().empty() ? panic.what() : panic.message();
      Finish(Status(StatusCode::UNKNOWN, "Exception calling application: " + message));
      return;
    }
    if (auto refused = fleet_.authenticate(*context_, rpc_, public_key_, expected_node_)) {
      Finish(*refused);
      return;
    }
    StartRead(&request_);
  }

  void OnReadDone(bool ok) override {
    const std::lock_guard<std::recursive_mutex> reacting(reacting_);
    if (!ok) {
      Finish(Status(StatusCode::UNIMPLEMENTED,
                    "\"" + context_->method() + "\" requires exactly one request message."));
      return;
    }
    std::vector<grpc::Slice> slices;
    std::string body;
    if (request_.Dump(&slices).ok()) {
      for (const auto& slice : slices) {
        body.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
      }
    }
    std::string response;
    const Status status = fleet_.serve(*rpc_, public_key_, expected_node_, body, response);
    if (!status.ok()) {
      Finish(status);
      return;
    }
    grpc::Slice slice(response);
    response_ = grpc::ByteBuffer(&slice, 1);
    StartWriteAndFinish(&response_, grpc::WriteOptions(), Status::OK);
  }

  void OnDone() override {
    { const std::lock_guard<std::recursive_mutex> reacting(reacting_); }
    delete this;
  }

 private:
  Fleet& fleet_;
  grpc::GenericCallbackServerContext* context_;
  const FleetRpc* rpc_ = nullptr;
  std::string public_key_;
  std::optional<std::uint64_t> expected_node_;
  grpc::ByteBuffer request_, response_;
  // gRPC runs a call's reactions one after another, on threads of its own, ordered by its own
  // locks, which ThreadSanitizer cannot see in Debian's build. Each reaction holds this lock, so
  // the order is visible to it too; recursive, as a reaction gRPC runs inline stays legal.
  std::recursive_mutex reacting_;
};

class Service final : public grpc::CallbackGenericService {
 public:
  explicit Service(Fleet& fleet) : fleet_(fleet) {}
  grpc::ServerGenericBidiReactor* CreateReactor(
      grpc::GenericCallbackServerContext* context) override {
    return new FleetCall(fleet_, context);
  }

 private:
  Fleet& fleet_;
};

}  // namespace

class GrpcFleetServer::Impl {
 public:
  explicit Impl(StateFactory& states) : fleet(states), service(fleet) {}
  Fleet fleet;
  Service service;
  std::unique_ptr<grpc::Server> server;
};

GrpcFleetServer::GrpcFleetServer(StateFactory& states) : impl_(std::make_unique<Impl>(states)) {}

GrpcFleetServer::~GrpcFleetServer() = default;

Address GrpcFleetServer::start(const Address& address) {
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(format_address(address), grpc::InsecureServerCredentials(), &port);
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);  // a taken port is taken
  builder.SetMaxReceiveMessageSize(kMaxMessageLength);
  builder.SetMaxSendMessageSize(kMaxMessageLength);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS, 210000);
  builder.RegisterCallbackGenericService(&impl_->service);
  impl_->server = builder.BuildAndStart();
  if (!impl_->server || port == 0) throw BindFailure{EADDRINUSE};
  Address bound = address;
  bound.port = port;
  return bound;
}

}  // namespace superlink
