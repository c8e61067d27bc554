#include "superlink/fleet/rest_server.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <filesystem>
#include <future>
#include <sstream>
#include <thread>
#include <vector>

#include "failpoint/failpoint.h"
#include "flower_api/fleet.pb.h"
#include "superlink/fleet/fleet_routes.h"
#include "superlink/flower/flower_log.h"
#include "superlink/testing/http_client.h"

namespace superlink {
namespace {

using test_support::fleet_post;
using test_support::http_request;
using test_support::HttpReply;

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
  // The in-memory state has no check for the SuperLink's own node (the SQLite one has: below).
  flwr::proto::PullMessagesRequest superlink_node;
  superlink_node.mutable_node()->set_node_id(1);
  EXPECT_EQ(fleet_post(kHost, port_, "pull-messages", bytes(superlink_node)).status, 200);
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
  const int fd = test_support::connect_loopback(port);
  const std::string reply =
      test_support::http_exchange(fd, kPing + "Connection: close\r\n\r\n", 1, kSafety);
  ::close(fd);
  return test_support::whole_http_answers(reply) == 1 && reply.rfind("HTTP/1.1 200 ", 0) == 0;
}

// cpp-httplib gave each connection a worker thread: 8 such clients took them all.
TEST_F(RestServerTest, ClientsThatNeverFinishTheirRequestBlockNoOne) {
  std::vector<int> slow;
  for (int i = 0; i < 64; ++i) {
    slow.push_back(test_support::connect_loopback(port_));
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
    fds.push_back(test_support::connect_loopback(port_));
    ASSERT_GE(fds.back(), 0) << "client " << i;
    const std::string request = kPing + "\r\n";
    ASSERT_EQ(::send(fds.back(), request.data(), request.size(), MSG_NOSIGNAL),
              static_cast<ssize_t>(request.size()));
  }
  int answered = 0;
  for (int fd : fds) {
    answered += test_support::whole_http_answers(test_support::http_exchange(fd, "", 1, kSafety));
    ::close(fd);
  }
  EXPECT_EQ(answered, kClients);
}

TEST_F(RestServerTest, PipelinedRequestsAreAnsweredInOrder) {
  std::string batch;
  for (int i = 0; i < 10; ++i) batch += kPing + "\r\n";
  batch += "POST /api/v0/fleet/nowhere HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n";
  const int fd = test_support::connect_loopback(port_);
  const std::string reply = test_support::http_exchange(fd, batch, 11, kSafety);
  ::close(fd);
  EXPECT_EQ(test_support::whole_http_answers(reply), 11) << reply;
  EXPECT_EQ(reply.rfind("HTTP/1.1 404 "), reply.rfind("HTTP/1.1 "));  // the last one
}

// Refused from the head: none of the announced body is sent, yet the answer comes.
TEST_F(RestServerTest, BodyOverTheLimitIsRefusedBeforeItIsRead) {
  const int fd = test_support::connect_loopback(port_);
  const std::string head =
      "POST /api/v0/fleet/push-messages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
      "application/protobuf\r\nAccept: application/protobuf\r\nContent-Length: " +
      std::to_string(kMaxBodyBytes + 1) + "\r\n\r\n";
  const std::string reply = test_support::http_exchange(fd, head, 1, kSafety);
  ::close(fd);
  EXPECT_THAT(reply, ::testing::StartsWith("HTTP/1.1 413 Request Entity Too Large\r\n"));
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

// What 1.18 prints for each route given an empty or unknown id, in each state: the last line of
// the traceback of a 500, or the state's own ERROR line before a 200.
struct RouteCase {
  const char* route;
  std::string body;
  int status;
  std::string in_memory;  // the traceback's last line, or the ERROR line; "" for none
  std::string sqlite;
  int sqlite_status = 0;  // 0: as `status`
};

std::vector<RouteCase> route_cases() {
  using namespace flwr::proto;
  DeleteNodeRequest unknown_node;
  unknown_node.mutable_node()->set_node_id(42);
  PullMessagesRequest superlink_node;
  superlink_node.mutable_node()->set_node_id(1);
  PushMessagesRequest unknown_run;
  unknown_run.add_messages_list()->mutable_metadata()->set_run_id(7);
  PushMessagesRequest pending_run;
  pending_run.add_messages_list()->mutable_metadata()->set_run_id(1);
  GetRunRequest get_run_unknown;
  get_run_unknown.set_run_id(7);
  GetFabRequest get_fab_pending;
  get_fab_pending.set_run_id(1);
  get_fab_pending.set_hash_str("abc");
  PingRequest ping_unknown;
  ping_unknown.mutable_node()->set_node_id(42);
  return {
      {"delete-node", "", 200, "", ""},
      {"delete-node", bytes(unknown_node), 500, "ValueError: Node 42 not found",
       "ValueError: Node 42 not found"},
      {"pull-messages", "", 200, "", ""},
      // SqliteLinkState.get_message_ins refuses the SuperLink's own node; InMemoryLinkState does
      // not.
      {"pull-messages", bytes(superlink_node), 200, "", "AssertionError: `node_id` must be != 1",
       500},
      {"push-messages", "", 500, "IndexError: list index (0) out of range",
       "IndexError: list index (0) out of range"},
      {"push-messages", bytes(unknown_run), 500, "KeyError: 7", "KeyError: 7"},
      {"push-messages", bytes(pending_run), 500,
       std::string(kInvalidRunStatus) + ": Run is pending.",
       std::string(kInvalidRunStatus) + ": Run is pending."},
      {"ping", "", 200, "", ""},
      {"ping", bytes(ping_unknown), 200, "", ""},
      {"get-run", "", 200, "ERROR :     `run_id` is invalid",
       "ERROR :     `run_id` does not exist."},
      {"get-run", bytes(get_run_unknown), 200, "ERROR :     `run_id` is invalid",
       "ERROR :     `run_id` does not exist."},
      {"get-fab", "", 500, "KeyError: 0", "KeyError: 0"},
      {"get-fab", bytes(get_fab_pending), 500, std::string(kInvalidRunStatus) + ": Run is pending.",
       std::string(kInvalidRunStatus) + ": Run is pending."},
  };
}

// The last line of `text` without its newline.
std::string last_line(const std::string& text) {
  std::string trimmed = text;
  while (!trimmed.empty() && trimmed.back() == '\n') trimmed.pop_back();
  return trimmed.substr(trimmed.rfind('\n') + 1);
}

void expect_route_lines(StateFactory& states, bool in_memory) {
  states.state()->add_pending_runs(1);
  FleetRoutes routes(states);
  const auto previous = spdlog::default_logger();
  std::ostringstream logged;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(logged);
  LogSettings plain;
  plain.colour = false;
  plain.timestamps = false;
  sink->set_formatter(std::make_unique<FlowerFormatter>(plain));
  auto logger = std::make_shared<spdlog::logger>("route_lines", sink);
  spdlog::set_default_logger(logger);
  for (const RouteCase& c : route_cases()) {
    logged.str("");
    const FleetAnswer answer =
        routes.answer({"POST", std::string("/api/v0/fleet/") + c.route, "application/protobuf",
                       "application/protobuf", std::nullopt, c.body});
    const std::string& want = in_memory ? c.in_memory : c.sqlite;
    SCOPED_TRACE(std::string(c.route) + " " + (in_memory ? "in memory" : "SQLite"));
    EXPECT_EQ(answer.status, in_memory || c.sqlite_status == 0 ? c.status : c.sqlite_status);
    const std::string got = answer.status == 500   ? last_line(answer.traceback)
                            : logged.str().empty() ? std::string()
                                                   : last_line(logged.str());
    EXPECT_EQ(got, want);
  }
  spdlog::set_default_logger(previous);
}

TEST(FleetRoutes, EachRoutesLinesForEmptyOrUnknownIdsAsFlower118InMemory) {
  StateFactory states(kInMemoryState);
  expect_route_lines(states, true);
}

std::string temp_database(const char* name) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("rest_server_test." + std::to_string(::getpid()) + "." + name);
  std::filesystem::create_directories(dir);
  return (dir / "state.db").string();
}

TEST(FleetRoutes, EachRoutesLinesForEmptyOrUnknownIdsAsFlower118WithSqlite) {
  const std::string database = temp_database("lines");
  StateFactory states(database);
  expect_route_lines(states, false);
  std::filesystem::remove_all(std::filesystem::path(database).parent_path());
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
  EXPECT_THAT(outcome, ::testing::StartsWith("threw: "));
  EXPECT_THAT(outcome, ::testing::HasSubstr("handler exploded"));
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
  EXPECT_THAT(reported[0], ::testing::HasSubstr("handler exploded"));
}

TEST(UvicornBindError, MatchesUvicornsLine) {
  EXPECT_EQ(uvicorn_bind_error("127.0.0.1", 9095, EADDRINUSE),
            "ERROR:    [Errno 98] error while attempting to bind on address ('127.0.0.1', 9095): "
            "address already in use\n");
}

}  // namespace
}  // namespace superlink
