// The Fleet API on gRPC-rere, through the harness's gRPC client (harness/grpc), against the mock
// as 1.18 and 1.26 and against the persona: node authentication's answers, each RPC's answer, the
// real one's lines, and one state seen by the REST and the gRPC Fleet API.
#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "fleet_client.h"
#include "flower_api/fleet.pb.h"
#include "flower_api/fleet_api_names.h"
#include "superlink/testing/http_client.h"
#include "superlink/testing/spawned_process.h"
#include "test_support/test_directory.h"
#include "unique_fd.h"

namespace superlink {
namespace {

using nlohmann::json;
using superlink_grpc::FleetAnswer;
using superlink_grpc::FleetCall;
using superlink_grpc::NodeKey;
using test_support::SpawnedProcess;
using ::testing::HasSubstr;

constexpr std::chrono::seconds kSafety{20};

class GrpcFleet : public ::testing::Test {
 protected:
  // The mock (or, with `persona`, the flower-superlink beside it) with every API on port 0
  // (the persona: on ports the kernel picked), the Fleet API of `type`, waited for.
  std::unique_ptr<SpawnedProcess> start(const std::string& name, std::vector<std::string> extra,
                                        std::string* fleet) {
    const std::string ready = (dir_.path() / (name + ".json")).string();
    std::vector<std::string> argv{
        MOCK_SUPERLINK_BIN,          "--insecure",  "--isolation",        "process",
        "--serverappio-api-address", "127.0.0.1:0", "--exec-api-address", "127.0.0.1:0",
        "--fleet-api-address",       "127.0.0.1:0", "--ready-file",       ready};
    argv.insert(argv.end(), extra.begin(), extra.end());
    auto process = std::make_unique<SpawnedProcess>(
        argv, std::vector<std::string>{"NO_COLOR=1", "FLWR_LOG_LEVEL=DEBUG"});
    if (!process->wait_for_file(ready, kSafety)) {
      ADD_FAILURE() << "not ready: " << process->stderr_text();
      return process;
    }
    *fleet = json::parse(test_support::read_file(ready)).at("fleet_api_address");
    return process;
  }

  FleetAnswer call(const std::string& fleet, const std::string& rpc, const std::string& message,
                   const NodeKey* key) {
    if (rpc.front() == '/') {
      return superlink_grpc::call_fleet(
          {fleet, rpc, "CreateNodeRequest", "CreateNodeResponse", message, key});
    }
    // Any version's RPC of that name; an unknown name sends an empty CreateNodeRequest.
    std::string request = "CreateNodeRequest", response = "CreateNodeResponse";
    for (const auto& names : superlink_api::kVersions) {
      if (const auto* found = superlink_api::find_rpc(names, rpc)) {
        request = found->request;
        response = found->response;
      }
    }
    FleetCall fleet_call{fleet, rpc, request, response, message, key};
    fleet_call.deadline = std::chrono::seconds(5);
    return superlink_grpc::call_fleet(fleet_call);
  }

  test_support::TestDirectory dir_{"grpc_fleet_test"};
  NodeKey key_;
};

std::string node_id(const FleetAnswer& answer) {
  const json body = json::parse(answer.json);
  return body.at("node").at("nodeId");
}

TEST_F(GrpcFleet, A118NodeLivesThroughCreatePullPingDelete) {
  std::string fleet;
  auto mock = start("mock", {}, &fleet);
  const FleetAnswer created = call(fleet, "CreateNode", R"({"pingInterval": 30})", &key_);
  ASSERT_EQ(created.code, "OK") << created.details;
  const std::string id = node_id(created);
  const std::string node = R"({"node": {"nodeId": ")" + id + R"("}})";
  const FleetAnswer pulled = call(fleet, "PullMessages", node, &key_);
  EXPECT_EQ(pulled.code, "OK") << pulled.details;
  const FleetAnswer pinged =
      call(fleet, "Ping", R"({"node": {"nodeId": ")" + id + R"("}, "pingInterval": 30})", &key_);
  EXPECT_EQ(pinged.code, "OK");
  EXPECT_EQ(pinged.json, R"({"success":true})");
  EXPECT_EQ(
      call(fleet, "GetRun", R"({"node": {"nodeId": ")" + id + R"("}, "runId": "7"})", &key_).json,
      "{}");
  EXPECT_EQ(call(fleet, "DeleteNode", node, &key_).code, "OK");
  // The key is no longer any node's.
  const FleetAnswer after = call(fleet, "PullMessages", node, &key_);
  EXPECT_EQ(after.code, "UNAUTHENTICATED");
  EXPECT_EQ(after.details, "Invalid node ID");
  mock->drain_stderr();
  const std::string& err = mock->stderr_text();
  EXPECT_THAT(err, HasSubstr(":      [Fleet.CreateNode] Request ping_interval=30.0\n"));
  EXPECT_THAT(err, HasSubstr("[Fleet.CreateNode] Request: {'pingInterval': 30.0}\n"));
  EXPECT_THAT(err, HasSubstr(":      [Fleet.CreateNode] Created node_id=" + id + "\n"));
  EXPECT_THAT(err, HasSubstr(":      [Fleet.PullMessages] node_id=" + id + "\n"));
  EXPECT_THAT(err, HasSubstr("[Fleet.PullMessages] Request: {'node': {'nodeId': '" + id + "'}}"));
  EXPECT_THAT(err, HasSubstr(":      [Fleet.DeleteNode] Delete node_id=" + id + "\n"));
  EXPECT_THAT(err, HasSubstr(":      [Fleet.GetRun] Requesting `Run` for run_id=7\n"));
}

TEST_F(GrpcFleet, AuthenticationRefusesAsThe118One) {
  std::string fleet;
  auto mock = start("mock", {}, &fleet);
  FleetAnswer unsigned_call = call(fleet, "CreateNode", "", nullptr);
  EXPECT_EQ(unsigned_call.code, "UNAUTHENTICATED");
  EXPECT_EQ(unsigned_call.details, "Missing authentication metadata");
  // A known key, but no node for it yet.
  const FleetAnswer no_node = call(fleet, "PullMessages", "", &key_);
  EXPECT_EQ(no_node.code, "UNAUTHENTICATED");
  EXPECT_EQ(no_node.details, "Invalid node ID");
  // Another node's id.
  ASSERT_EQ(call(fleet, "CreateNode", "", &key_).code, "OK");
  const FleetAnswer other = call(fleet, "PullMessages", R"({"node": {"nodeId": "5"}})", &key_);
  EXPECT_EQ(other.code, "UNAUTHENTICATED");
  EXPECT_EQ(other.details, "Invalid node ID");
  // One key, one node.
  const FleetAnswer again = call(fleet, "CreateNode", "", &key_);
  EXPECT_EQ(again.code, "UNAUTHENTICATED");
  EXPECT_EQ(again.details, "Public key already in use");
  // Another service's path.
  const FleetAnswer elsewhere = call(fleet, "/flwr.proto.Exec/ListRuns", "", &key_);
  EXPECT_EQ(elsewhere.code, "FAILED_PRECONDITION");
  EXPECT_EQ(elsewhere.details, "This request should be sent to a different service.");
  const FleetAnswer unknown = call(fleet, "NoSuchCall", "", &key_);
  EXPECT_EQ(unknown.code, "UNKNOWN");
  EXPECT_EQ(unknown.details, "Error in service handler!");
}

TEST_F(GrpcFleet, The126LifecycleRegistersActivatesBeatsAndUnregisters) {
  std::string fleet;
  auto mock = start("mock", {"--flower-version", "1.26"}, &fleet);
  NodeKey key;
  // The request carries the key as a SuperNode sends it; the JSON mapping's bytes are base64.
  const std::string b64 = key.public_key_base64();
  const FleetAnswer registered =
      call(fleet, "RegisterNode", R"({"publicKey": ")" + b64 + R"("})", &key);
  ASSERT_EQ(registered.code, "OK") << registered.details;
  const std::string id = json::parse(registered.json).at("nodeId");
  const FleetAnswer activated = call(
      fleet, "ActivateNode", R"({"publicKey": ")" + b64 + R"(", "heartbeatInterval": 30})", &key);
  ASSERT_EQ(activated.code, "OK") << activated.details;
  EXPECT_EQ(json::parse(activated.json).at("nodeId"), id);
  const FleetAnswer beat =
      call(fleet, "SendNodeHeartbeat",
           R"({"node": {"nodeId": ")" + id + R"("}, "heartbeatInterval": 30})", &key);
  EXPECT_EQ(beat.code, "OK") << beat.details;
  EXPECT_EQ(call(fleet, "UnregisterNode", R"({"nodeId": ")" + id + R"("})", &key).code, "OK");
  // 1.18's RPCs are none of 1.26's.
  EXPECT_EQ(call(fleet, "CreateNode", "", &key).details, "Error in service handler!");
  EXPECT_EQ(call(fleet, "PullMessages", "", nullptr).details, "Missing authentication metadata");
}

// A port free now (the persona, as 1.18, refuses port 0).
int free_port() {
  const harness::UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof address;
  ::bind(fd.get(), reinterpret_cast<sockaddr*>(&address), size);
  ::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&address), &size);
  return ntohs(address.sin_port);
}

TEST_F(GrpcFleet, ThePersonaAnswersAsThe118One) {
  const std::string persona =
      (std::filesystem::path(MOCK_SUPERLINK_BIN).parent_path() / "flower-superlink").string();
  const std::string fleet = "127.0.0.1:" + std::to_string(free_port());
  SpawnedProcess process({persona, "--insecure", "--isolation", "process",
                          "--serverappio-api-address", "127.0.0.1:" + std::to_string(free_port()),
                          "--exec-api-address", "127.0.0.1:" + std::to_string(free_port()),
                          "--fleet-api-address", fleet});
  ASSERT_TRUE(process.wait_for_stderr("Starting Fleet API (gRPC-rere) on " + fleet, 1, kSafety))
      << process.stderr_text();
  const FleetAnswer created = call(fleet, "CreateNode", R"({"pingInterval": 30})", &key_);
  ASSERT_EQ(created.code, "OK") << created.details;
  EXPECT_EQ(call(fleet, "PullMessages", "", nullptr).details, "Missing authentication metadata");
  ASSERT_TRUE(process.wait_for_stderr("[Fleet.CreateNode] Created node_id=" + node_id(created), 1,
                                      kSafety));
}

// One state: a node made over gRPC is pinged over REST (two SuperLinks on one database file).
TEST_F(GrpcFleet, RestAndGrpcShareTheState) {
  const std::string database = (dir_.path() / "state.db").string();
  std::string grpc_fleet, rest_fleet;
  auto grpc_mock = start("grpc", {"--database", database}, &grpc_fleet);
  auto rest_mock = start("rest", {"--database", database, "--fleet-api-type", "rest"}, &rest_fleet);
  const FleetAnswer created = call(grpc_fleet, "CreateNode", "", &key_);
  ASSERT_EQ(created.code, "OK") << created.details;
  const std::string id = node_id(created);
  flwr::proto::PingRequest ping;
  ping.mutable_node()->set_node_id(std::stoull(id));
  ping.set_ping_interval(10);
  const int rest_port = std::stoi(rest_fleet.substr(rest_fleet.rfind(':') + 1));
  const std::vector<std::pair<std::string, std::string>> headers{
      {"Content-Type", "application/protobuf"}, {"Accept", "application/protobuf"}};
  auto reply = test_support::http_request("127.0.0.1", rest_port, "POST", "/api/v0/fleet/ping",
                                          headers, ping.SerializeAsString());
  ASSERT_EQ(reply.status, 200);
  flwr::proto::PingResponse pong;
  ASSERT_TRUE(pong.ParseFromString(reply.body));
  EXPECT_TRUE(pong.success());
  // Deleted over REST: the gRPC side no longer knows the node.
  flwr::proto::DeleteNodeRequest remove;
  remove.mutable_node()->set_node_id(std::stoull(id));
  reply = test_support::http_request("127.0.0.1", rest_port, "POST", "/api/v0/fleet/delete-node",
                                     headers, remove.SerializeAsString());
  ASSERT_EQ(reply.status, 200);
  const FleetAnswer after =
      call(grpc_fleet, "PullMessages", R"({"node": {"nodeId": ")" + id + R"("}})", &key_);
  EXPECT_EQ(after.details, "Invalid node ID");
}

TEST_F(GrpcFleet, AHandlerFailureAnswersUnknownAndTheServerGoesOn) {
  std::string fleet;
  auto mock = start("mock", {"--failpoint", "grpc.handler=1*panic(database is locked)"}, &fleet);
  const FleetAnswer failed = call(fleet, "CreateNode", "", &key_);
  EXPECT_EQ(failed.code, "UNKNOWN");
  EXPECT_EQ(failed.details, "Exception calling application: database is locked");
  EXPECT_EQ(call(fleet, "CreateNode", "", &key_).code, "OK");
}

TEST_F(GrpcFleet, TheAnswerIsBoundedAndTheDeadlineHolds) {
  std::string fleet;
  auto mock = start("mock", {"--failpoint", "grpc.request=sleep(3000)"}, &fleet);
  FleetCall slow{fleet, "CreateNode", "CreateNodeRequest", "CreateNodeResponse", "", &key_};
  slow.deadline = std::chrono::milliseconds(300);
  const auto begin = std::chrono::steady_clock::now();
  EXPECT_EQ(superlink_grpc::call_fleet(slow).code, "DEADLINE_EXCEEDED");
  EXPECT_LT(std::chrono::steady_clock::now() - begin, std::chrono::seconds(2));
}

// Raw bytes to the Fleet port: the HTTP/2 connection preface, frames built by hand.
std::string frame(std::uint8_t type, std::uint8_t flags, std::uint32_t stream,
                  const std::string& payload, std::uint32_t declared_length) {
  std::string out;
  out += static_cast<char>((declared_length >> 16) & 0xFF);
  out += static_cast<char>((declared_length >> 8) & 0xFF);
  out += static_cast<char>(declared_length & 0xFF);
  out += static_cast<char>(type);
  out += static_cast<char>(flags);
  for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((stream >> shift) & 0x7F);
  return out + payload;
}

std::string frame(std::uint8_t type, std::uint8_t flags, std::uint32_t stream,
                  const std::string& payload) {
  return frame(type, flags, stream, payload, static_cast<std::uint32_t>(payload.size()));
}

// HPACK: a string literal, no Huffman coding, its length an integer with a 7-bit prefix.
std::string hpack_string(const std::string& text) {
  std::string out;
  std::size_t length = text.size();
  if (length < 127) {
    out += static_cast<char>(length);
  } else {
    out += static_cast<char>(127);
    for (length -= 127; length >= 128; length >>= 7) {
      out += static_cast<char>((length & 0x7F) | 0x80);
    }
    out += static_cast<char>(length);
  }
  return out + text;
}

// HPACK: a literal header field without indexing, new name.
std::string header(const std::string& name, const std::string& value) {
  return std::string(1, '\0') + hpack_string(name) + hpack_string(value);
}

constexpr std::string_view kPreface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
constexpr std::uint8_t kData = 0x0, kHeaders = 0x1, kSettings = 0x4;
constexpr std::uint8_t kEndStream = 0x1, kEndHeaders = 0x4;

// The start of a signed CreateNode call on stream 1: preface, SETTINGS, the request's HEADERS
// (so node authentication lets it through to where its message is read).
std::string call_start(const NodeKey& key, const std::string& extra = "") {
  std::string headers =
      header(":method", "POST") + header(":scheme", "http") +
      header(":path", "/flwr.proto.Fleet/CreateNode") + header(":authority", "localhost") +
      header("content-type", "application/grpc") + header("te", "trailers") + extra;
  for (const auto& [name, value] : superlink_grpc::auth_metadata(key)) {
    headers += header(name, name.ends_with("-bin") ? superlink_grpc::base64(value) : value);
  }
  return std::string(kPreface) + frame(kSettings, 0, 0, "") +
         frame(kHeaders, kEndHeaders, 1, headers);
}

// The value of grpc-status in the raw trailers (a literal HPACK field, as gRPC writes it, with
// its name and a short value uncompressed); empty when there is none.
std::string grpc_status(const std::string& answer) {
  // A stream reset is a status too: a gRPC client reads RST_STREAM(INTERNAL_ERROR) as INTERNAL.
  for (std::size_t at = 0; at + 9 <= answer.size();) {
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(answer[at + i]); };
    const std::size_t length = (byte(0) << 16) | (byte(1) << 8) | byte(2);
    if (byte(3) == 0x3 && at + 9 + 4 <= answer.size()) {
      return "RST_STREAM " + std::to_string(byte(12));
    }
    at += 9 + length;
  }
  const auto at = answer.find("grpc-status");
  if (at == std::string::npos || at + 12 > answer.size()) return "";
  const auto length = static_cast<unsigned char>(answer[at + 11]);
  if ((length & 0x80) != 0) return "(Huffman-coded)";
  return answer.substr(at + 12, length);
}

// Connects, sends `bytes`, half-closes when `shut`, and reads what comes back until the server
// closes or `limit` bytes are in (a receive timeout is only the safety net).
std::string exchange(const std::string& address, const std::string& bytes, bool shut) {
  const harness::UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port =
      htons(static_cast<std::uint16_t>(std::stoi(address.substr(address.rfind(':') + 1))));
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval safety{20, 0};
  ::setsockopt(fd.get(), SOL_SOCKET, SO_RCVTIMEO, &safety, sizeof safety);
  std::string answer;
  if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&to), sizeof to) == 0) {
    ::send(fd.get(), bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (shut) ::shutdown(fd.get(), SHUT_WR);
    char buffer[4096];
    for (ssize_t got;
         answer.size() < 65536 && (got = ::recv(fd.get(), buffer, sizeof buffer, 0)) > 0;) {
      answer.append(buffer, static_cast<std::size_t>(got));
      // A status (trailers or a reset stream) is the answer; the connection may stay open.
      if (!grpc_status(answer).empty()) break;
    }
  }
  return answer;
}

TEST_F(GrpcFleet, AMalformedFrameIsAnErrorStatusNeverACrash) {
  std::string fleet;
  auto mock = start("mock", {}, &fleet);
  // Not HTTP/2 at all: the connection is closed.
  exchange(fleet, "GET / HTTP/1.1\r\nHost: x\r\n\r\n\x01\x02\xff garbage", true);
  exchange(fleet, std::string(4096, '\xff'), true);
  // The preface, then a frame that claims 100 bytes and brings 3, then the end.
  exchange(fleet, std::string(kPreface) + frame(kSettings, 0, 0, "abc", 100), true);
  // A frame larger than the peer's maximum (16 MiB - 1 declared, SETTINGS_MAX_FRAME_SIZE 16 KiB).
  exchange(fleet, std::string(kPreface) + frame(kData, 0, 1, "", 0xFFFFFF), true);
  // A gRPC message whose length prefix claims 4 GiB - 1 and brings 2 bytes: an error status.
  const std::string huge = exchange(
      fleet,
      call_start(key_) + frame(kData, kEndStream, 1, std::string("\0\xff\xff\xff\xff\x08\x01", 7)),
      false);
  const std::string huge_status = grpc_status(huge);
  EXPECT_THAT(huge_status, ::testing::AnyOf("12", "13")) << ::testing::PrintToString(huge);
  // A length prefix that promises 50 bytes and brings 2, then the stream ends: an error status.
  const std::string truncated = exchange(
      fleet, call_start(key_) + frame(kData, kEndStream, 1, std::string("\0\0\0\0\x32\x08\x01", 7)),
      false);
  const std::string truncated_status = grpc_status(truncated);
  EXPECT_THAT(truncated_status, ::testing::AnyOf("12", "13"))
      << ::testing::PrintToString(truncated);
  // A message said to be gzip-compressed that is no gzip: an error status.
  const std::string compressed =
      exchange(fleet,
               call_start(key_, header("grpc-encoding", "gzip")) +
                   frame(kData, kEndStream, 1, std::string("\x01\0\0\0\x02\x08\x01", 7)),
               false);
  const std::string compressed_status = grpc_status(compressed);
  EXPECT_THAT(compressed_status, ::testing::AnyOf("13", "RST_STREAM 2"))
      << ::testing::PrintToString(compressed);
  // Framed right, but no CreateNodeRequest (a field tag of 0): the mock answers as the real one.
  const std::string unparsable = exchange(
      fleet, call_start(key_) + frame(kData, kEndStream, 1, std::string("\0\0\0\0\x02\0\0", 7)),
      false);
  EXPECT_EQ(grpc_status(unparsable), "13") << ::testing::PrintToString(unparsable);
  EXPECT_THAT(unparsable, HasSubstr("Exception deserializing request!"));
  // Still serving, and still the same process.
  const FleetAnswer created = call(fleet, "CreateNode", R"({"pingInterval": 30})", &key_);
  EXPECT_EQ(created.code, "OK") << created.details;
  siginfo_t info{};
  ASSERT_EQ(::waitid(P_PID, static_cast<id_t>(mock->pid()), &info, WEXITED | WNOHANG | WNOWAIT), 0);
  EXPECT_EQ(info.si_pid, 0) << mock->stderr_text();
  mock->drain_stderr();
  EXPECT_THAT(mock->stderr_text(), ::testing::Not(HasSubstr("Exit Code")));
}

TEST(GrpcRequestJson, AMessageThatDoesNotFitNamesTheField) {
  EXPECT_EQ(superlink_grpc::check_request_json("CreateNodeRequest", R"({"pingInterval": 3})"), "");
  EXPECT_THAT(superlink_grpc::check_request_json("CreateNodeRequest", R"({"nodeId": 3})"),
              HasSubstr("nodeId"));
}

}  // namespace
}  // namespace superlink
