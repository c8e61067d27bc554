// The names the SuperLink's APIs are known by, shared by the mock (which serves them) and the
// harness (which checks scenarios against them), so that the two cannot drift apart.
#pragma once

#include <array>
#include <string_view>

namespace superlink_api {

// The REST Fleet API's routes under /api/v0/fleet/ (Flower 1.18).
inline constexpr std::array<std::string_view, 7> kFleetRoutes = {
    "create-node", "delete-node", "pull-messages", "push-messages", "ping", "get-run", "get-fab"};

// The APIs that listen on a port, by the name scenarios use for them (`occupy = ["fleet"]`).
inline constexpr std::array<std::string_view, 3> kApiPorts = {"fleet", "serverappio", "exec"};

}  // namespace superlink_api
