// The real mock-superlink's REST server under 20,000 seeded random requests over loopback (the
// CI counterpart of fleet_request_fuzz.cpp, which needs clang): random methods, paths, headers,
// framing and bodies, and now and then bytes that are no HTTP at all. No failpoint is armed, so
// the REST thread must survive them all: every connection is closed by the server, and at the
// end a ping still gets 200 and the process still runs.
#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "flower_api/fleet.pb.h"
#include "superlink/testing/http_client.h"
#include "superlink/testing/spawned_process.h"
#include "unique_fd.h"

namespace superlink {
namespace {

constexpr std::uint64_t kSeed = 20240603;
constexpr int kRequests = 20000;
constexpr std::chrono::seconds kSafety{20};

const std::vector<std::string> kMethods = {"POST",  "POST",    "POST", "GET",   "PUT",     "DELETE",
                                           "PATCH", "OPTIONS", "HEAD", "TRACE", "P\x01ST", ""};
const std::vector<std::string> kRoutes = {
    "create-node", "delete-node", "pull-messages", "push-messages", "ping", "get-run", "get-fab"};
const std::vector<std::string> kTypes = {"application/protobuf", "application/protobuf",
                                         "application/json", "", "application/protobuf; x=1"};

// One request as sent. A complete one says `Connection: close`, so the server answers and closes;
// an incomplete one (cut, lying about its length, not HTTP) is half-closed after sending, so the
// server meets the end of its input. (httplib drops the answer to a request whose connection is
// already half-closed, so a complete request is never half-closed.)
struct Request {
  std::string bytes;
  bool complete = true;
};

// Sends the request on a fresh connection and reads the reply to its end. Returns the status (0
// when the reply had no status line), or -1 when the server neither answered in full nor closed
// the connection within the safety timeout.
int exchange(int port, const Request& request) {
  const std::string& bytes = request.bytes;
  const harness::UniqueFd fd(test_support::connect_loopback_reset(port, std::chrono::seconds(20)));
  if (!fd) return -1;
  [[maybe_unused]] const ssize_t sent = ::send(fd.get(), bytes.data(), bytes.size(), MSG_NOSIGNAL);
  if (!request.complete) ::shutdown(fd.get(), SHUT_WR);
  std::string reply;
  const bool ended = test_support::read_answer(fd.get(), reply);
  if (!ended) return -1;
  if (reply.rfind("HTTP/1.1 ", 0) != 0) return 0;
  return std::atoi(reply.c_str() + 9);
}

class FleetRequestRandom : public ::testing::Test {
 protected:
  std::size_t pick(std::size_t size) {
    return std::uniform_int_distribution<std::size_t>(0, size - 1)(rng_);
  }
  std::string random_bytes(std::size_t max) {
    std::string bytes(pick(max + 1), '\0');
    for (char& c : bytes) c = static_cast<char>(std::uniform_int_distribution<int>(0, 255)(rng_));
    return bytes;
  }

  // A valid message for some route, then perhaps mutated or cut.
  std::string body() {
    std::string bytes;
    switch (pick(4)) {
      case 0: {
        flwr::proto::PingRequest ping;
        ping.mutable_node()->set_node_id(rng_());
        ping.set_ping_interval(30.0);
        bytes = ping.SerializeAsString();
        break;
      }
      case 1: {
        flwr::proto::GetRunRequest get_run;
        get_run.mutable_node()->set_node_id(rng_());
        get_run.set_run_id(rng_());
        bytes = get_run.SerializeAsString();
        break;
      }
      case 2: {
        flwr::proto::PullMessagesRequest pull;
        pull.mutable_node()->set_node_id(rng_());
        pull.add_message_ids(std::to_string(rng_()));
        bytes = pull.SerializeAsString();
        break;
      }
      default: {
        flwr::proto::DeleteNodeRequest remove;
        remove.mutable_node()->set_node_id(rng_());
        bytes = remove.SerializeAsString();
        break;
      }
    }
    switch (pick(4)) {
      case 0:
        return bytes;
      case 1:
        return bytes.substr(0, pick(bytes.size() + 1));
      case 2:
        bytes[pick(bytes.size())] = static_cast<char>(rng_());
        return bytes;
      default:
        return random_bytes(64);
    }
  }

  std::string path() {
    switch (pick(6)) {
      case 0:
        return "/api/v0/fleet/" + random_bytes(12);
      case 1:
        return "/" + random_bytes(40);
      case 2:
        return "/api/v0/fleet/../fleet/ping%00?x=" + random_bytes(4);
      default:
        return "/api/v0/fleet/" + kRoutes[pick(kRoutes.size())];
    }
  }

  Request request() {
    if (pick(20) == 0) return {random_bytes(300), false};  // not HTTP at all
    const std::string content = body();
    std::string text = kMethods[pick(kMethods.size())] + " " + path() +
                       (pick(10) == 0 ? " HTTP/9.9\r\n" : " HTTP/1.1\r\n");
    if (pick(4) != 0) text += "Content-Type: " + kTypes[pick(kTypes.size())] + "\r\n";
    if (pick(4) != 0) text += "Accept: " + kTypes[pick(kTypes.size())] + "\r\n";
    if (pick(8) == 0) text += random_bytes(20) + ": " + random_bytes(20) + "\r\n";
    text += "Connection: close\r\n";
    if (pick(10) == 0) {
      // Chunked framing, sometimes with a lying chunk size.
      text += "Transfer-Encoding: chunked\r\n\r\n";
      const bool lies = pick(4) == 0;
      char size[32];
      std::snprintf(size, sizeof size, "%zx\r\n", content.size() + (lies ? 1 + pick(100) : 0));
      return {text + size + content + "\r\n0\r\n\r\n", !lies};
    }
    bool complete = false;
    switch (pick(6)) {
      case 0:
        text += "Content-Length: " + std::to_string(content.size() + 1 + pick(1000)) + "\r\n";
        break;
      case 1:
        text += "Content-Length: -1\r\n";
        break;
      case 2:
        text += "Content-Length: 99999999999999999999999\r\n";
        break;
      default:
        text += "Content-Length: " + std::to_string(content.size()) + "\r\n";
        complete = true;
        break;
    }
    return {text + "\r\n" + content, complete};
  }

  std::mt19937_64 rng_{kSeed};
};

TEST_F(FleetRequestRandom, TheRestThreadSurvivesEveryRequestNoFailpointAimsAt) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                    ("fleet_request_random_test." + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string ready = (dir / "ready.json").string();
  test_support::SpawnedProcess mock(
      {MOCK_SUPERLINK_BIN, "--insecure", "--isolation", "process", "--fleet-api-type", "rest",
       "--serverappio-api-address", "127.0.0.1:0", "--exec-api-address", "127.0.0.1:0",
       "--fleet-api-address", "127.0.0.1:0", "--ready-file", ready},
      {"NO_COLOR=1"});
  ASSERT_TRUE(mock.wait_for_file(ready, kSafety)) << mock.stderr_text();
  const std::string json = test_support::read_file(ready);
  const std::string key = "\"fleet_api_address\":\"127.0.0.1:";
  const auto at = json.find(key);
  ASSERT_NE(at, std::string::npos) << json;
  const int port = std::atoi(json.c_str() + at + key.size());

  std::map<int, int> statuses;
  for (int i = 0; i < kRequests; ++i) {
    const Request sent = request();
    const int status = exchange(port, sent);
    ASSERT_GE(status, 0) << "request " << i << " was not answered:\n" << sent.bytes;
    mock.drain_stderr();  // its warnings and tracebacks: the mock must never block on the pipe
    ++statuses[status];
  }
  // The generator reached every kind of answer the server gives.
  for (const int status : {200, 400, 404, 405, 500}) {
    EXPECT_GT(statuses[status], 0) << "no request got " << status;
  }

  const test_support::HttpReply created =
      test_support::fleet_post("127.0.0.1", port, "create-node", "");
  flwr::proto::CreateNodeResponse node;
  ASSERT_TRUE(node.ParseFromString(created.body));
  flwr::proto::PingRequest request;
  request.mutable_node()->set_node_id(node.node().node_id());
  const test_support::HttpReply ping =
      test_support::fleet_post("127.0.0.1", port, "ping", request.SerializeAsString());
  EXPECT_EQ(ping.status, 200);
  flwr::proto::PingResponse answer;
  ASSERT_TRUE(answer.ParseFromString(ping.body));
  EXPECT_TRUE(answer.success());
  EXPECT_EQ(::waitpid(mock.pid(), nullptr, WNOHANG), 0) << "the mock exited";
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace superlink
