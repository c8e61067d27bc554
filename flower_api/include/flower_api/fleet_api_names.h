// The names the SuperLink's APIs are known by, shared by the mock (which serves them) and the
// harness (which checks scenarios against them), so that the two cannot drift apart. One entry
// per Flower version the mock imitates (docs/mock-superlink.md, "Versions").
#pragma once

#include <array>
#include <span>
#include <string_view>

namespace superlink_api {

// The REST Fleet API's routes under /api/v0/fleet/, Flower 1.18.
inline constexpr std::array<std::string_view, 7> kFleetRoutes_1_18 = {
    "create-node", "delete-node", "pull-messages", "push-messages", "ping", "get-run", "get-fab"};

// The same, Flower 1.26.1 (ping became send-node-heartbeat in 1.19, create/delete-node became
// register/activate/deactivate/unregister-node in 1.23).
inline constexpr std::array<std::string_view, 12> kFleetRoutes_1_26 = {
    "register-node",       "activate-node", "deactivate-node", "unregister-node",
    "pull-messages",       "push-messages", "pull-object",     "push-object",
    "send-node-heartbeat", "get-run",       "get-fab",         "confirm-message-received"};

// One RPC of the gRPC-rere Fleet service (`/flwr.proto.Fleet/NAME`) and its message types (in
// package flwr.proto, superlink/fleet.proto).
struct FleetRpc {
  std::string_view name;
  std::string_view request;
  std::string_view response;
};

// flwr/proto/fleet.proto's `service Fleet`, Flower 1.18.
inline constexpr std::array<FleetRpc, 7> kFleetRpcs_1_18 = {{
    {"CreateNode", "CreateNodeRequest", "CreateNodeResponse"},
    {"DeleteNode", "DeleteNodeRequest", "DeleteNodeResponse"},
    {"Ping", "PingRequest", "PingResponse"},
    {"PullMessages", "PullMessagesRequest", "PullMessagesResponse"},
    {"PushMessages", "PushMessagesRequest", "PushMessagesResponse"},
    {"GetRun", "GetRunRequest", "GetRunResponse"},
    {"GetFab", "GetFabRequest", "GetFabResponse"},
}};

// The same, Flower 1.26.1.
inline constexpr std::array<FleetRpc, 12> kFleetRpcs_1_26 = {{
    {"RegisterNode", "RegisterNodeFleetRequest", "RegisterNodeFleetResponse"},
    {"ActivateNode", "ActivateNodeRequest", "ActivateNodeResponse"},
    {"DeactivateNode", "DeactivateNodeRequest", "DeactivateNodeResponse"},
    {"UnregisterNode", "UnregisterNodeFleetRequest", "UnregisterNodeFleetResponse"},
    {"SendNodeHeartbeat", "SendNodeHeartbeatRequest", "SendNodeHeartbeatResponse"},
    {"PullMessages", "PullMessagesRequest", "PullMessagesResponse"},
    {"PushMessages", "PushMessagesRequest", "PushMessagesResponse"},
    {"GetRun", "GetRunRequest", "GetRunResponse"},
    {"GetFab", "GetFabRequest", "GetFabResponse"},
    {"PushObject", "PushObjectRequest", "PushObjectResponse"},
    {"PullObject", "PullObjectRequest", "PullObjectResponse"},
    {"ConfirmMessageReceived", "ConfirmMessageReceivedRequest", "ConfirmMessageReceivedResponse"},
}};

// The gRPC service path prefix of the Fleet API.
inline constexpr std::string_view kFleetServicePrefix = "/flwr.proto.Fleet/";

// The default version's routes (what a scenario without `flower_version` is checked against).
inline constexpr const auto& kFleetRoutes = kFleetRoutes_1_18;

// The APIs that listen on a port, by the name scenarios use for them (`occupy = ["fleet"]`).
inline constexpr std::array<std::string_view, 3> kApiPorts = {"fleet", "serverappio", "exec"};

// What differs between versions on the command line and the REST API, by version name.
struct VersionNames {
  std::string_view version;  // as `--flower-version` takes it
  std::span<const std::string_view> fleet_routes;
  std::span<const FleetRpc> fleet_rpcs;
  std::string_view control_api_flag;  // the flag of the Exec (1.18) / Control API
};

inline constexpr std::array<VersionNames, 2> kVersions = {{
    {"1.18", kFleetRoutes_1_18, kFleetRpcs_1_18, "--exec-api-address"},
    {"1.26", kFleetRoutes_1_26, kFleetRpcs_1_26, "--control-api-address"},
}};

inline constexpr std::string_view kDefaultVersion = "1.18";

// The entry of `version`; nullptr for one the mock does not imitate.
constexpr const VersionNames* find_version(std::string_view version) {
  for (const VersionNames& names : kVersions) {
    if (names.version == version) return &names;
  }
  return nullptr;
}

// The RPC `name` of `names`' Fleet service; nullptr when it has none of that name.
constexpr const FleetRpc* find_rpc(const VersionNames& names, std::string_view name) {
  for (const FleetRpc& rpc : names.fleet_rpcs) {
    if (rpc.name == name) return &rpc;
  }
  return nullptr;
}

}  // namespace superlink_api
