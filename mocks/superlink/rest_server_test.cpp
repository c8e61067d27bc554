#include "superlink/rest_server.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <filesystem>
#include <future>
#include <thread>
#include <vector>

#include "failpoint/failpoint.h"
#include "superlink/fleet.pb.h"
#include "superlink/testing/http_client.h"

namespace superlink {
namespace {

using testing::fleet_post;
using testing::http_request;
using testing::HttpReply;

constexpr const char* kHost = "127.0.0.1";

// A RestServer on 127.0.0.1:0 in its own thread; `outcome` holds how run() ended.
template <typename Message>
std::string bytes(const Message& message) {
  return message.SerializeAsString();
}
template <typename Message>
Message parsed(const HttpReply& reply) {
  Message message;
  EXPECT_TRUE(message.ParseFromString(reply.body));
  return message;
}
// The head has `name: value` on a line of its own (the name in any case, as HTTP allows).
bool has_header(const HttpReply& reply, const std::string& line) {
  const auto lower = [](std::string text) {
    for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
  };
  const auto colon = line.find(':');
  for (std::size_t at = reply.head.find("\r\n"); at != std::string::npos;) {
    const std::size_t start = at + 2;
    at = reply.head.find("\r\n", start);
    const std::string got = reply.head.substr(start, at == std::string::npos ? at : at - start);
    if (got.size() == line.size() && lower(got.substr(0, colon)) == lower(line.substr(0, colon)) &&
        got.substr(colon) == line.substr(colon)) {
      return true;
    }
  }
  return false;
}

class RestServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::promise<int> bound;
    auto port = bound.get_future();
    thread_ = std::thread([this, bound = std::move(bound)]() mutable {
      try {
        server_.run(kHost, 0, [&](int p) { bound.set_value(p); });
        outcome_.set_value("returned");
      } catch (const std::exception& e) {
        outcome_.set_value(std::string("threw: ") + e.what());
      }
    });
    port_ = port.get();
  }
  void TearDown() override {
    if (!stopped_) server_.stop();
    thread_.join();
    failpoint::teardown();
  }
  std::string wait_outcome() {
    stopped_ = true;
    return outcome_.get_future().get();
  }

  StateFactory states_{kInMemoryState};
  RestServer server_{states_};
  std::promise<std::string> outcome_;
  std::thread thread_;
  int port_ = 0;
  bool stopped_ = false;
};

TEST_F(RestServerTest, HeaderChecksInFlowersOrder) {
  const std::string path = "/api/v0/fleet/ping";
  auto reply = http_request(kHost, port_, "POST", path, {}, "");
  EXPECT_EQ(reply.status, 400);
  EXPECT_EQ(reply.body, "Missing header `Content-Type`");
  reply = http_request(kHost, port_, "POST", path, {{"Content-Type", "application/json"}}, "");
  EXPECT_EQ(reply.status, 400);
  EXPECT_EQ(reply.body, "Unsupported `Content-Type`");
  reply = http_request(kHost, port_, "POST", path, {{"Content-Type", "application/protobuf"}}, "");
  EXPECT_EQ(reply.status, 400);
  EXPECT_EQ(reply.body, "Missing header `Accept`");
  reply = http_request(kHost, port_, "POST", path,
                       {{"Content-Type", "application/protobuf"}, {"Accept", "*/*"}}, "");
  EXPECT_EQ(reply.status, 400);
  EXPECT_EQ(reply.body, "Unsupported `Accept`");
}

TEST_F(RestServerTest, HeaderFailuresArePlainUtf8Text) {
  const auto reply = http_request(kHost, port_, "POST", "/api/v0/fleet/ping", {}, "");
  EXPECT_TRUE(has_header(reply, "Content-Type: text/plain; charset=utf-8")) << reply.head;
}

TEST_F(RestServerTest, UnknownPathIs404NotFound) {
  const auto reply = fleet_post(kHost, port_, "no-such-route", "");
  EXPECT_EQ(reply.status, 404);
  EXPECT_EQ(reply.body, "Not Found");
  EXPECT_TRUE(has_header(reply, "Content-Type: text/plain; charset=utf-8")) << reply.head;
}

TEST_F(RestServerTest, WrongMethodIs405WithAllowPost) {
  const auto reply = http_request(kHost, port_, "GET", "/api/v0/fleet/create-node", {}, "");
  EXPECT_EQ(reply.status, 405);
  EXPECT_EQ(reply.body, "Method Not Allowed");
  EXPECT_TRUE(has_header(reply, "allow: POST")) << reply.head;
}

TEST_F(RestServerTest, TrailingSlashIs307ToThePathWithoutIt) {
  const auto reply = fleet_post(kHost, port_, "ping/", "");
  EXPECT_EQ(reply.status, 307);
  EXPECT_EQ(reply.body, "");
  EXPECT_TRUE(has_header(reply, "location: http://127.0.0.1/api/v0/fleet/ping")) << reply.head;
  EXPECT_EQ(fleet_post(kHost, port_, "no-such-route/", "").status, 404);
}

TEST_F(RestServerTest, CreateNodeAnswersAFreshNodeIdThatPingKnows) {
  flwr::proto::CreateNodeRequest request;
  request.set_ping_interval(30);
  const auto first = fleet_post(kHost, port_, "create-node", bytes(request));
  const auto second = fleet_post(kHost, port_, "create-node", "");
  ASSERT_EQ(first.status, 200);
  ASSERT_EQ(second.status, 200);
  EXPECT_TRUE(has_header(first, "Content-Type: application/protobuf")) << first.head;
  const auto a = parsed<flwr::proto::CreateNodeResponse>(first).node().node_id();
  const auto b = parsed<flwr::proto::CreateNodeResponse>(second).node().node_id();
  EXPECT_GT(a, 1u);
  EXPECT_NE(a, b);

  flwr::proto::PingRequest ping;
  ping.mutable_node()->set_node_id(a);
  ping.set_ping_interval(30);
  const auto known = fleet_post(kHost, port_, "ping", bytes(ping));
  ASSERT_EQ(known.status, 200);
  EXPECT_TRUE(parsed<flwr::proto::PingResponse>(known).success());

  flwr::proto::DeleteNodeRequest remove;
  remove.mutable_node()->set_node_id(a);
  EXPECT_EQ(fleet_post(kHost, port_, "delete-node", bytes(remove)).status, 200);
  EXPECT_EQ(fleet_post(kHost, port_, "delete-node", bytes(remove)).status, 500);  // gone
  const auto unknown = fleet_post(kHost, port_, "ping", bytes(ping));
  ASSERT_EQ(unknown.status, 200);
  EXPECT_FALSE(parsed<flwr::proto::PingResponse>(unknown).success());
}

// Flower 1.18's handlers on empty messages (every id 0, no messages).
TEST_F(RestServerTest, EmptyMessagesPerRouteAsFlower118) {
  EXPECT_EQ(fleet_post(kHost, port_, "delete-node", "").status, 200);    // node 0: nothing to do
  EXPECT_EQ(fleet_post(kHost, port_, "pull-messages", "").status, 200);  // no messages
  EXPECT_EQ(fleet_post(kHost, port_, "ping", "").status, 200);           // success = false
  EXPECT_EQ(fleet_post(kHost, port_, "get-run", "").status, 200);        // unknown run: no run
  EXPECT_EQ(fleet_post(kHost, port_, "push-messages", "").status, 500);  // messages_list[0]
  EXPECT_EQ(fleet_post(kHost, port_, "get-fab", "").status, 500);        // unknown run
  flwr::proto::PullMessagesRequest superlink_node;
  superlink_node.mutable_node()->set_node_id(1);
  EXPECT_EQ(fleet_post(kHost, port_, "pull-messages", bytes(superlink_node)).status, 500);
}

TEST_F(RestServerTest, PendingRunIsAbortedByGetRun) {
  states_.state()->add_pending_runs(1);
  flwr::proto::GetRunRequest request;
  request.set_run_id(1);
  EXPECT_EQ(fleet_post(kHost, port_, "get-run", bytes(request)).status, 500);
}

TEST_F(RestServerTest, BadBodyIs500InternalServerErrorAndTheServerGoesOn) {
  const auto bad = fleet_post(kHost, port_, "create-node", "\x0a\x05\x01");
  EXPECT_EQ(bad.status, 500);
  EXPECT_EQ(bad.body, "Internal Server Error");
  EXPECT_TRUE(has_header(bad, "Content-Type: text/plain; charset=utf-8")) << bad.head;
  EXPECT_EQ(fleet_post(kHost, port_, "ping", "").status, 200);
}

const std::string kPing =
    "POST /api/v0/fleet/ping HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/protobuf\r\n"
    "Accept: application/protobuf\r\nContent-Length: 0\r\n";
constexpr std::chrono::seconds kSafety{20};

// A ping on a fresh connection, answered within the safety timeout.
bool ping_answered(int port) {
  const int fd = testing::connect_loopback(port);
  const std::string reply =
      testing::http_exchange(fd, kPing + "Connection: close\r\n\r\n", 1, kSafety);
  ::close(fd);
  return testing::whole_http_answers(reply) == 1 && reply.rfind("HTTP/1.1 200 ", 0) == 0;
}

// cpp-httplib gave each connection a worker thread: 8 such clients took them all.
TEST_F(RestServerTest, ClientsThatNeverFinishTheirRequestBlockNoOne) {
  std::vector<int> slow;
  for (int i = 0; i < 64; ++i) {
    slow.push_back(testing::connect_loopback(port_));
    const std::string half = "POST /api/v0/fleet/ping HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    ASSERT_EQ(::send(slow.back(), half.data(), half.size(), MSG_NOSIGNAL),
              static_cast<ssize_t>(half.size()));
  }
  for (int i = 0; i < 10; ++i) EXPECT_TRUE(ping_answered(port_)) << "ping " << i;
  for (int fd : slow) ::close(fd);
}

TEST_F(RestServerTest, AThousandClientsAtOnceAreAllAnswered) {
  constexpr int kClients = 1000;
  std::vector<int> fds;
  for (int i = 0; i < kClients; ++i) {
    fds.push_back(testing::connect_loopback(port_));
    ASSERT_GE(fds.back(), 0) << "client " << i;
    const std::string request = kPing + "\r\n";
    ASSERT_EQ(::send(fds.back(), request.data(), request.size(), MSG_NOSIGNAL),
              static_cast<ssize_t>(request.size()));
  }
  int answered = 0;
  for (int fd : fds) {
    answered += testing::whole_http_answers(testing::http_exchange(fd, "", 1, kSafety));
    ::close(fd);
  }
  EXPECT_EQ(answered, kClients);
}

TEST_F(RestServerTest, PipelinedRequestsAreAnsweredInOrder) {
  std::string batch;
  for (int i = 0; i < 10; ++i) batch += kPing + "\r\n";
  batch += "POST /api/v0/fleet/nowhere HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n";
  const int fd = testing::connect_loopback(port_);
  const std::string reply = testing::http_exchange(fd, batch, 11, kSafety);
  ::close(fd);
  EXPECT_EQ(testing::whole_http_answers(reply), 11) << reply;
  EXPECT_EQ(reply.rfind("HTTP/1.1 404 "), reply.rfind("HTTP/1.1 "));  // the last one
}

// Refused from the head: none of the announced body is sent, yet the answer comes.
TEST_F(RestServerTest, BodyOverTheLimitIsRefusedBeforeItIsRead) {
  const int fd = testing::connect_loopback(port_);
  const std::string head =
      "POST /api/v0/fleet/push-messages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
      "application/protobuf\r\nAccept: application/protobuf\r\nContent-Length: " +
      std::to_string(kMaxBodyBytes + 1) + "\r\n\r\n";
  const std::string reply = testing::http_exchange(fd, head, 1, kSafety);
  ::close(fd);
  EXPECT_EQ(reply.rfind("HTTP/1.1 413 Request Entity Too Large\r\n", 0), 0u) << reply;
  EXPECT_TRUE(ping_answered(port_));
}

TEST(FleetRoutes, UndecodableBodyTracebackEndsInProtobufsDecodeError) {
  StateFactory states(kInMemoryState);
  FleetRoutes routes(states);
  const FleetAnswer answer =
      routes.answer({"POST", "/api/v0/fleet/create-node", "application/protobuf",
                     "application/protobuf", std::nullopt, "\x0a\x05\x01"});
  EXPECT_EQ(answer.status, 500);
  EXPECT_EQ(answer.traceback.rfind("ERROR:    Exception in ASGI application\nTraceback (most "
                                   "recent call last):\n",
                                   0),
            0u)
      << answer.traceback;
  const std::string last =
      "google.protobuf.message.DecodeError: Error parsing message with type "
      "'flwr.proto.CreateNodeRequest'\n";
  EXPECT_EQ(answer.traceback.substr(answer.traceback.size() - last.size()), last);
}

TEST(FleetRoutes, DatabaseErrorInAHandlerIsA500WithSqlitesError) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("rest_server_test." + std::to_string(::getpid()));
  StateFactory states((dir / "missing" / "state.db").string());
  FleetRoutes routes(states);
  const FleetAnswer answer =
      routes.answer({"POST", "/api/v0/fleet/create-node", "application/protobuf",
                     "application/protobuf", std::nullopt, ""});
  EXPECT_EQ(answer.status, 500);
  EXPECT_THAT(answer.traceback,
              ::testing::EndsWith("\nsqlite3.OperationalError: unable to open database file\n"));
}

TEST(UvicornAccessLine, MatchesUvicornsFormat) {
  EXPECT_EQ(
      uvicorn_access_line("127.0.0.1", 50412, "POST", "/api/v0/fleet/create-node", "1.1", 200),
      "INFO:     127.0.0.1:50412 - \"POST /api/v0/fleet/create-node HTTP/1.1\" 200 OK\n");
  EXPECT_EQ(uvicorn_access_line("127.0.0.1", 1, "GET", "/x/", "1.1", 307),
            "INFO:     127.0.0.1:1 - \"GET /x/ HTTP/1.1\" 307 Temporary Redirect\n");
}

TEST_F(RestServerTest, ReturnStatusAtRequestSiteAnswersThatStatus) {
  failpoint::ScopedArm arm("rest.request", "1*return(418)");
  const auto reply = fleet_post(kHost, port_, "ping", "");
  EXPECT_EQ(reply.status, 418);
  EXPECT_EQ(reply.body, "");
  EXPECT_EQ(fleet_post(kHost, port_, "ping", "").status, 200);
}

TEST_F(RestServerTest, PanicAtRequestSiteTakesTheServerDown) {
  failpoint::ScopedArm arm("rest.request", "1*off->panic(handler exploded)");
  EXPECT_EQ(fleet_post(kHost, port_, "ping", "").status, 200);
  fleet_post(kHost, port_, "ping", "");  // the fatal one: its answer does not matter
  const std::string outcome = wait_outcome();
  EXPECT_EQ(outcome.rfind("threw: ", 0), 0u) << outcome;
  EXPECT_NE(outcome.find("handler exploded"), std::string::npos) << outcome;
  EXPECT_THROW(fleet_post(kHost, port_, "ping", ""), std::runtime_error);  // no longer listening
}

// The crash is told the moment the panic is caught, once, before the server unwinds.
TEST(RestServerFailure, PanicAtRequestSiteIsReportedAtOnceAndOnce) {
  StateFactory states{kInMemoryState};
  RestServer server{states};
  std::vector<std::string> reported;
  server.on_failure([&](std::exception_ptr cause) {
    try {
      std::rethrow_exception(cause);
    } catch (const std::exception& e) {
      reported.push_back(e.what());
    }
  });
  failpoint::ScopedArm arm("rest.request", "panic(handler exploded)");
  EXPECT_EQ(server.request_site("/api/v0/fleet/ping"), 500);
  EXPECT_EQ(server.request_site("/api/v0/fleet/ping"), 500);
  ASSERT_EQ(reported.size(), 1u);
  EXPECT_NE(reported[0].find("handler exploded"), std::string::npos) << reported[0];
}

TEST(UvicornBindError, MatchesUvicornsLine) {
  EXPECT_EQ(uvicorn_bind_error("127.0.0.1", 9095, EADDRINUSE),
            "ERROR:    [Errno 98] error while attempting to bind on address ('127.0.0.1', 9095): "
            "address already in use\n");
}

}  // namespace
}  // namespace superlink
