#include "port_allocator.h"

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "spawn_program.h"

namespace harness {
namespace {

using ::testing::HasSubstr;

// A lock folder of the test's own, and SUPERLINK_PORT_RANGE set per test.
class PortAllocatorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = std::filesystem::temp_directory_path().string() + "/ports-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    ::setenv("SUPERLINK_PORT_LOCK_DIR", (dir_ + "/locks").c_str(), 1);
    ::unsetenv("SUPERLINK_PORT_RANGE");
  }
  void TearDown() override {
    ::unsetenv("SUPERLINK_PORT_LOCK_DIR");
    ::unsetenv("SUPERLINK_PORT_RANGE");
    std::filesystem::remove_all(dir_);
  }
  static void use_range(int first, int last) {
    const std::string range = std::to_string(first) + "-" + std::to_string(last);
    ::setenv("SUPERLINK_PORT_RANGE", range.c_str(), 1);
  }
  // Two adjacent ports of the default range that nothing is bound to now.
  static int free_pair() {
    const PortRange range = allocatable_ports();
    for (int port = range.first; port < range.last; ++port) {
      if (bindable(port) && bindable(port + 1)) return port;
    }
    return -1;
  }
  static bool bindable(int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    const bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
    ::close(fd);
    return ok;
  }
  std::string dir_;
};

TEST_F(PortAllocatorTest, TheDefaultRangeLiesBelowTheEphemeralOne) {
  int ephemeral_first = 0;
  std::ifstream("/proc/sys/net/ipv4/ip_local_port_range") >> ephemeral_first;
  const PortRange range = allocatable_ports();
  EXPECT_GE(range.first, 1024);
  EXPECT_LT(range.last, ephemeral_first);
  const PortLeases leases = allocate_ports({"fleet", "serverappio", "exec"});
  std::set<int> ports;
  for (const auto& [name, port] : leases.ports()) {
    EXPECT_GE(port, range.first) << name;
    EXPECT_LE(port, range.last) << name;
    ports.insert(port);
  }
  EXPECT_EQ(ports.size(), 3u);
}

TEST_F(PortAllocatorTest, APortSomeoneListensOnIsNeverHandedOut) {
  const int first = free_pair();
  ASSERT_GT(first, 0);
  const int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<std::uint16_t>(first));
  ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  ASSERT_EQ(::listen(listener, 1), 0);
  use_range(first, first + 1);
  const PortLeases leases = allocate_ports({"fleet"});
  EXPECT_EQ(leases.ports().at("fleet"), first + 1);
  ::close(listener);
}

TEST_F(PortAllocatorTest, AHeldPortIsNotHandedOutAgainAndTheErrorNamesTheApi) {
  const int first = free_pair();
  ASSERT_GT(first, 0);
  use_range(first, first);
  const PortLeases held = allocate_ports({"fleet"});
  try {
    allocate_ports({"serverappio"});
    FAIL() << "a second lease of the only port";
  } catch (const PortAllocationError& error) {
    EXPECT_EQ(std::string(error.what()), "no free port for the serverappio API in " +
                                             std::to_string(first) + "-" + std::to_string(first) +
                                             " (every one is bound or held by another run)");
  }
}

TEST_F(PortAllocatorTest, AReleasedPortCoolsDownUnlessNothingElseIsLeft) {
  const int first = free_pair();
  ASSERT_GT(first, 0);
  use_range(first, first + 1);
  int released = 0;
  { released = allocate_ports({"fleet"}).ports().at("fleet"); }
  const int next = allocate_ports({"fleet"}).ports().at("fleet");
  EXPECT_NE(next, released) << "the port released first is cooling down";
  // The two releases were microseconds apart, one clock tick on a kernel with coarse file
  // times: date the first a second back so "longest ago" is not a tie.
  const timespec second_ago[2] = {{0, UTIME_OMIT}, {::time(nullptr) - 1, 0}};
  ASSERT_EQ(
      ::utimensat(AT_FDCWD, (dir_ + "/locks/" + std::to_string(released)).c_str(), second_ago, 0),
      0);
  // Both cool down now: the one released longest ago comes back.
  EXPECT_EQ(allocate_ports({"fleet"}).ports().at("fleet"), released);
}

TEST_F(PortAllocatorTest, ABadRangeIsRefusedByName) {
  ::setenv("SUPERLINK_PORT_RANGE", "30000-20000", 1);
  try {
    allocatable_ports();
    FAIL() << "a range that ends before it starts";
  } catch (const PortAllocationError& error) {
    EXPECT_STREQ(error.what(),
                 "SUPERLINK_PORT_RANGE: '30000-20000' is not a range FIRST-LAST within 1024-65535");
  }
}

// Harness processes running at once, each leasing the ports of 60 runs one after another: no
// port is handed out twice, neither to two concurrent runs nor to a later run within the cooldown.
TEST_F(PortAllocatorTest, ConcurrentHarnessProcessesNeverShareAPort) {
  constexpr int kProcesses = 6;
  constexpr int kRounds = 60;
  std::vector<pid_t> pids;
  std::vector<std::string> outputs;
  for (int i = 0; i < kProcesses; ++i) {
    outputs.push_back(dir_ + "/probe" + std::to_string(i) + ".txt");
    const int out = ::open(outputs.back().c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    ASSERT_GE(out, 0);
    SpawnRequest request;
    request.argv = {PORT_LEASE_PROBE, std::to_string(kRounds)};
    request.stdout_fd = out;
    const pid_t pid = spawn(request);
    ::close(out);
    ASSERT_GT(pid, 0);
    pids.push_back(pid);
  }
  for (const pid_t pid : pids) {
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "status " << status;
  }
  std::set<int> seen;
  int handed_out = 0;
  for (const std::string& path : outputs) {
    std::ifstream file(path);
    int port = 0;
    while (file >> port) {
      ++handed_out;
      EXPECT_TRUE(seen.insert(port).second) << "port " << port << " handed out twice";
    }
  }
  EXPECT_EQ(handed_out, kProcesses * kRounds * 4);
}

}  // namespace
}  // namespace harness
