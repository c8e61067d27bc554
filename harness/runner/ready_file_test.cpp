#include "ready_file.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "ready_json.h"

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

TEST(ReadyFile, RejectsHalfAFile) {
  EXPECT_FALSE(parse_ready_file(R"({"pid": 42, "fleet_api_addr)"));
  EXPECT_FALSE(parse_ready_file(""));
  EXPECT_FALSE(parse_ready_file("[1, 2]"));
  EXPECT_FALSE(read_ready_file("/nonexistent/ready.json"));
}

TEST(Json, ReadsEscapesNumbersAndLiterals) {
  const auto doc = parse_json(R"( {"s": "a\"b\\c\n\u00e9", "n": -12.5e3, "t": true, "f": false,
                                   "z": null, "a": [1, {"k": "v"}]} )");
  ASSERT_TRUE(doc);
  EXPECT_EQ(doc->find("s")->text, "a\"b\\c\n\xc3\xa9");
  EXPECT_EQ(doc->find("n")->text, "-12.5e3");
  EXPECT_EQ(doc->find("t")->text, "true");
  EXPECT_EQ(doc->find("f")->text, "false");
  EXPECT_EQ(doc->find("z")->kind, JsonValue::Kind::Null);
  EXPECT_EQ(doc->find("a")->items.at(1).find("k")->text, "v");
  EXPECT_EQ(doc->find("missing"), nullptr);
  EXPECT_FALSE(parse_json(R"({"a": 1} trailing)"));
  EXPECT_FALSE(parse_json(R"({"a": })"));
}

}  // namespace
}  // namespace harness
