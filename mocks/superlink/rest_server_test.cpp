#include "superlink/rest_server.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <future>
#include <thread>

#include "failpoint/failpoint.h"
#include "superlink/fleet_messages.h"
#include "superlink/testing/http_client.h"

namespace superlink {
namespace {

using testing::fleet_post;
using testing::http_request;

constexpr const char* kHost = "127.0.0.1";

// A RestServer on 127.0.0.1:0 in its own thread; `outcome` holds how run() ended.
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

  RestServer server_;
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

TEST_F(RestServerTest, UnknownPathIs404AndWrongMethodIs405) {
  EXPECT_EQ(fleet_post(kHost, port_, "no-such-route", "").status, 404);
  EXPECT_EQ(http_request(kHost, port_, "GET", "/api/v0/fleet/create-node", {}, "").status, 405);
}

TEST_F(RestServerTest, CreateNodeAnswersAFreshNodeId) {
  const auto first =
      fleet_post(kHost, port_, "create-node", fleet::encode(fleet::CreateNodeRequest{30}));
  const auto second = fleet_post(kHost, port_, "create-node", "");
  ASSERT_EQ(first.status, 200);
  ASSERT_EQ(second.status, 200);
  const auto a = fleet::decode_create_node_response(first.body).node.node_id;
  const auto b = fleet::decode_create_node_response(second.body).node.node_id;
  EXPECT_NE(a, 0u);
  EXPECT_NE(a, b);
}

TEST_F(RestServerTest, PingSucceedsAndOtherRoutesAnswerValidMessages) {
  const auto ping = fleet_post(kHost, port_, "ping", fleet::encode(fleet::PingRequest{{5}, 30}));
  ASSERT_EQ(ping.status, 200);
  EXPECT_TRUE(fleet::decode_ping_response(ping.body).success);
  for (const char* route :
       {"delete-node", "pull-messages", "push-messages", "get-run", "get-fab"}) {
    EXPECT_EQ(fleet_post(kHost, port_, route, "").status, 200) << route;
  }
}

TEST_F(RestServerTest, BadBodyIs500AndTheServerGoesOn) {
  const auto bad = fleet_post(kHost, port_, "create-node", "\x0a\x05\x01");
  EXPECT_EQ(bad.status, 500);
  EXPECT_NE(bad.body.find("CreateNodeRequest"), std::string::npos) << bad.body;
  EXPECT_EQ(fleet_post(kHost, port_, "ping", "").status, 200);
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

TEST(UvicornBindError, MatchesUvicornsLine) {
  EXPECT_EQ(uvicorn_bind_error("127.0.0.1", 9095, EADDRINUSE),
            "ERROR:    [Errno 98] error while attempting to bind on address ('127.0.0.1', 9095): "
            "address already in use\n");
}

}  // namespace
}  // namespace superlink
