#include "ready_file.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace harness {
namespace {

using ::testing::Pair;
using ::testing::UnorderedElementsAre;

TEST(ReadyFile, TakesTopLevelApiAddresses) {
  const auto addresses = parse_ready_file(
      R"({"pid": 42, "fleet_api_address": "127.0.0.1:9095",
          "serverappio_api_address": "127.0.0.1:9091", "critical_threads": ["scheduler", "rest"]})");
  ASSERT_TRUE(addresses);
  EXPECT_THAT(*addresses, UnorderedElementsAre(Pair("fleet", "127.0.0.1:9095"),
                                               Pair("serverappio", "127.0.0.1:9091")));
}

TEST(ReadyFile, TakesANestedAddressesObject) {
  const auto addresses =
      parse_ready_file(R"({"addresses": {"fleet": "127.0.0.1:1", "exec": "127.0.0.1:2"}})");
  ASSERT_TRUE(addresses);
  EXPECT_THAT(*addresses,
              UnorderedElementsAre(Pair("fleet", "127.0.0.1:1"), Pair("exec", "127.0.0.1:2")));
}

TEST(ReadyFile, TakesTheFailpointControlAddress) {
  const auto addresses = parse_ready_file(
      R"({"fleet_api_address": "127.0.0.1:9095", "failpoint_control_address": "127.0.0.1:4"})");
  ASSERT_TRUE(addresses);
  EXPECT_THAT(*addresses, UnorderedElementsAre(Pair("fleet", "127.0.0.1:9095"),
                                               Pair("failpoint_control", "127.0.0.1:4")));
}

TEST(ReadyFile, RejectsHalfAFile) {
  EXPECT_FALSE(parse_ready_file(R"({"pid": 42, "fleet_api_addr)"));
  EXPECT_FALSE(parse_ready_file(""));
  EXPECT_FALSE(parse_ready_file("[1, 2]"));
  EXPECT_FALSE(read_ready_file("/nonexistent/ready.json"));
}

}  // namespace
}  // namespace harness
