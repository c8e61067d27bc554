#include "superlink/fleet_messages.h"

#include <gtest/gtest.h>

namespace superlink::fleet {
namespace {

TEST(FleetMessages, EncodesCreateNodeResponseAsProtobufDoes) {
  // Node{node_id=300} inside field 1: 0a 03 08 ac 02.
  EXPECT_EQ(encode(CreateNodeResponse{{300}}), std::string("\x0a\x03\x08\xac\x02", 5));
  EXPECT_EQ(decode_create_node_response(encode(CreateNodeResponse{{300}})).node.node_id, 300u);
}

TEST(FleetMessages, DoubleRoundTripsThroughFixed64) {
  const std::string bytes = encode(CreateNodeRequest{1.5});
  EXPECT_EQ(bytes, std::string("\x09\x00\x00\x00\x00\x00\x00\xf8\x3f", 9));
  EXPECT_EQ(decode_create_node_request(bytes).ping_interval, 1.5);
}

TEST(FleetMessages, PingRequestAndResponse) {
  const auto request = decode_ping_request(encode(PingRequest{{7}, 30.0}));
  EXPECT_EQ(request.node.node_id, 7u);
  EXPECT_EQ(request.ping_interval, 30.0);
  EXPECT_TRUE(decode_ping_response(encode(PingResponse{true})).success);
  EXPECT_EQ(encode(PingResponse{false}), "");
}

TEST(FleetMessages, EmptyBodyIsTheDefaultMessage) {
  EXPECT_EQ(decode_get_fab_request("").run_id, 0u);
  EXPECT_TRUE(decode_pull_messages_request("").message_ids.empty());
}

TEST(FleetMessages, SkipsUnknownFields) {
  // field 9 varint 1, then field 2 (run_id) = 5.
  EXPECT_EQ(decode_get_run_request(std::string("\x48\x01\x10\x05", 4)).run_id, 5u);
}

TEST(FleetMessages, BadBodiesNameTheMessageAndTheFault) {
  try {
    decode_create_node_request("\x0a\x05\x01");
    FAIL() << "no error";
  } catch (const wire::DecodeError& e) {
    EXPECT_STREQ(e.what(),
                 "CreateNodeRequest: length-delimited field overruns the message at byte 0");
  }
  try {
    decode_create_node_request(std::string("\x08\x01", 2));
    FAIL() << "no error";
  } catch (const wire::DecodeError& e) {
    EXPECT_STREQ(e.what(), "CreateNodeRequest: field 1 has wire type 0, expected 1");
  }
  EXPECT_THROW(decode_ping_request("\x0b"), wire::DecodeError);      // group wire type
  EXPECT_THROW(decode_ping_request("\x08\xff"), wire::DecodeError);  // truncated varint
}

}  // namespace
}  // namespace superlink::fleet
