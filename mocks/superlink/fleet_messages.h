// The Fleet API's request and response messages (Flower 1.18 fleet.proto), as far as the mock
// reads and writes them. Decoders throw wire::DecodeError naming the message and the bad field.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "superlink/protobuf_wire.h"

namespace superlink::fleet {

struct Node {
  std::uint64_t node_id = 0;
};

struct CreateNodeRequest {
  double ping_interval = 0;  // field 1
};
struct CreateNodeResponse {
  Node node;  // field 1
};
struct DeleteNodeRequest {
  Node node;  // field 1
};
struct PullMessagesRequest {
  Node node;                             // field 1
  std::vector<std::string> message_ids;  // field 2
};
struct PushMessagesRequest {
  Node node;                               // field 1
  std::vector<std::string> messages_list;  // field 2, each an encoded Message kept as bytes
};
struct PingRequest {
  Node node;                 // field 1
  double ping_interval = 0;  // field 2
};
struct PingResponse {
  bool success = false;  // field 1
};
struct GetRunRequest {
  Node node;                 // field 1
  std::uint64_t run_id = 0;  // field 2
};
struct GetRunResponse {
  std::uint64_t run_id = 0;  // Run run = 1, of which the mock fills run_id = 1
};
struct GetFabRequest {
  Node node;                 // field 1
  std::string hash_str;      // field 2
  std::uint64_t run_id = 0;  // field 3
};
struct GetFabResponse {
  std::string hash_str;  // Fab fab = 1: hash_str = 1
  std::string content;   //              content = 2
};

CreateNodeRequest decode_create_node_request(std::string_view bytes);
DeleteNodeRequest decode_delete_node_request(std::string_view bytes);
PullMessagesRequest decode_pull_messages_request(std::string_view bytes);
PushMessagesRequest decode_push_messages_request(std::string_view bytes);
PingRequest decode_ping_request(std::string_view bytes);
GetRunRequest decode_get_run_request(std::string_view bytes);
GetFabRequest decode_get_fab_request(std::string_view bytes);

std::string encode(const CreateNodeRequest& message);
std::string encode(const PingRequest& message);
std::string encode(const CreateNodeResponse& message);
std::string encode(const PingResponse& message);
std::string encode(const GetRunResponse& message);
std::string encode(const GetFabResponse& message);

// Clients' side, for the harness and tests.
CreateNodeResponse decode_create_node_response(std::string_view bytes);
PingResponse decode_ping_response(std::string_view bytes);

}  // namespace superlink::fleet
