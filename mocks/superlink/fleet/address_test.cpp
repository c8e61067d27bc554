#include "superlink/fleet/address.h"

#include <gtest/gtest.h>

namespace superlink {
namespace {

TEST(Address, ParsesIpv4HostnameAndBracketedIpv6) {
  auto v4 = parse_address("0.0.0.0:9092");
  ASSERT_TRUE(v4);
  EXPECT_EQ(v4->host, "0.0.0.0");
  EXPECT_EQ(v4->port, 9092);
  EXPECT_FALSE(v4->is_v6);
  auto v6 = parse_address("[::]:9091");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->host, "::");
  EXPECT_TRUE(v6->is_v6);
  EXPECT_EQ(format_address(*v6), "[::]:9091");
  EXPECT_EQ(parse_address("localhost:0")->port, 0);
}

TEST(Address, RejectsWhatFlowerRejects) {
  for (const char* bad :
       {"nonsense", "host:", "host:abc", "host:65536", "host:-1", ":9092", "host:90x"}) {
    EXPECT_FALSE(parse_address(bad)) << bad;
  }
}

TEST(Address, WildcardBecomesLoopback) {
  EXPECT_EQ(format_address(connectable(*parse_address("0.0.0.0:5"))), "127.0.0.1:5");
  EXPECT_EQ(format_address(connectable(*parse_address("[::]:5"))), "[::1]:5");
}

}  // namespace
}  // namespace superlink
