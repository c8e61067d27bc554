// The one gRPC client of the harness: a unary call of the Fleet API on gRPC-rere (any version's
// RPC, by name), the request given in protobuf's JSON mapping, the answer read back as JSON, with
// a deadline and a bound on the answer's size. Signed as a SuperNode signs (node
// authentication's metadata) when given a key.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace superlink_grpc {

// An EC SECP384R1 key pair, as a SuperNode makes one at start.
class NodeKey {
 public:
  NodeKey();
  ~NodeKey();
  NodeKey(const NodeKey&) = delete;
  NodeKey& operator=(const NodeKey&) = delete;

  // PEM, SubjectPublicKeyInfo: what goes in flwr-public-key-bin.
  const std::string& public_key_pem() const { return public_key_pem_; }
  // That PEM in base64: a `bytes` field in protobuf's JSON mapping (RegisterNode's publicKey).
  std::string public_key_base64() const;
  // DER ECDSA-SHA256 signature of `message`.
  std::string sign(std::string_view message) const;

 private:
  struct Key;
  std::unique_ptr<Key> key_;
  std::string public_key_pem_;
};

struct FleetCall {
  std::string address;           // host:port of the Fleet API
  std::string rpc;               // "CreateNode", or a whole path: "/flwr.proto.Exec/ListRuns"
  std::string request_type;      // "CreateNodeRequest" (package flwr.proto)
  std::string response_type;     // "CreateNodeResponse"
  std::string request_json;      // the request in protobuf's JSON mapping; empty: an empty message
  const NodeKey* key = nullptr;  // sign with it; nullptr: no authentication metadata
  std::chrono::milliseconds deadline{10000};
  int max_answer_bytes = 4 << 20;  // a longer answer ends RESOURCE_EXHAUSTED
};

struct FleetAnswer {
  std::string code;     // the gRPC status name: "OK", "UNAUTHENTICATED", "DEADLINE_EXCEEDED"
  std::string details;  // the status's message
  std::string json;     // the response in protobuf's JSON mapping (OK only; "{}" when empty)
};

// Node authentication's metadata as a SuperNode sends it with a call now: name and raw value
// (flwr-public-key-bin, flwr-timestamp, flwr-signature-bin; gRPC base64-codes -bin values).
std::vector<std::pair<std::string, std::string>> auth_metadata(const NodeKey& key);

// Standard base64, padded.
std::string base64(std::string_view bytes);

// Makes the call; never throws for what the server does (every failure is a status).
FleetAnswer call_fleet(const FleetCall& call);

// Empty when `json` is a valid `request_type` in protobuf's JSON mapping; else why not (the
// parser's message, which names the field).
std::string check_request_json(std::string_view request_type, const std::string& json);

// The status name of gRPC code `code` ("UNAVAILABLE"); empty for a number that is none.
std::string status_name(int code);

}  // namespace superlink_grpc
