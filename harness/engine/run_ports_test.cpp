// lease_run_ports against real sockets: a listener the test binds on the leased fleet port just
// before the harness occupies it stands in for a process that takes no lease.
#include "run_ports.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <set>
#include <system_error>

namespace harness {
namespace {

class RunPortsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = std::filesystem::temp_directory_path().string() + "/run-ports-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    ::setenv("SUPERLINK_PORT_LOCK_DIR", (dir_ + "/locks").c_str(), 1);
  }
  void TearDown() override {
    ::unsetenv("SUPERLINK_PORT_LOCK_DIR");
    std::filesystem::remove_all(dir_);
  }

  // occupy_ports, after binding the fleet port from "outside" on the first `times` calls.
  OccupyFunction taken_first(int times) {
    return [this, times](const std::vector<std::string>& names,
                         const std::map<std::string, int>& ports) {
      if (calls_++ < times) {
        const int port = ports.at("fleet");
        taken_.insert(port);
        outside_.push_back(listen_on("127.0.0.1:" + std::to_string(port)));
      }
      return occupy_ports(names, ports);
    };
  }

  std::string dir_;
  int calls_ = 0;
  std::set<int> taken_;
  std::vector<UniqueFd> outside_;
};

TEST_F(RunPortsTest, APortTakenBeforeTheOccupyGetsTheRunFreshPorts) {
  const RunPorts ports = lease_run_ports({"fleet", "exec"}, {"fleet"}, 3, taken_first(2));
  EXPECT_EQ(calls_, 3);
  const int fleet = ports.leases.ports().at("fleet");
  EXPECT_FALSE(taken_.contains(fleet)) << "a port something else holds was handed out again";
  EXPECT_EQ(ports.occupied.ports().at("fleet"), fleet);
}

TEST_F(RunPortsTest, ThePortsTakenEveryTimeEndTheRunWithTheBindError) {
  try {
    lease_run_ports({"fleet"}, {"fleet"}, 3, taken_first(3));
    FAIL() << "no error";
  } catch (const std::system_error& error) {
    EXPECT_EQ(error.code(), std::errc::address_in_use);
    EXPECT_STREQ(error.what(),
                 "setup.occupy: cannot bind 127.0.0.1 for 'fleet': Address already in use");
  }
  EXPECT_EQ(calls_, 3);
}

TEST_F(RunPortsTest, AnotherErrorIsNotRetried) {
  EXPECT_THROW(lease_run_ports({"fleet"}, {"grpc"}, 3, taken_first(0)), std::invalid_argument);
  EXPECT_EQ(calls_, 1);
}

}  // namespace
}  // namespace harness
