#include "occupy_ports.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>

namespace harness {
namespace {

// errno of binding 127.0.0.1:port (0 when the bind succeeds).
int bind_error(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  const int result = ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address));
  const int error = result == 0 ? 0 : errno;
  ::close(fd);
  return error;
}

TEST(OccupyPorts, AnOccupiedPortRefusesABindUntilReleased) {
  int port = 0;
  {
    const OccupiedPorts occupied = occupy_ports({"fleet", "exec"});
    ASSERT_EQ(occupied.ports().size(), 2u);
    port = occupied.ports().at("fleet");
    ASSERT_GT(port, 0);
    EXPECT_NE(occupied.ports().at("exec"), port);
    EXPECT_EQ(bind_error(port), EADDRINUSE);
  }
  EXPECT_EQ(bind_error(port), 0);
}

TEST(OccupyPorts, RejectsAnUnknownNameByName) {
  try {
    occupy_ports({"fleet", "grpc"});
    FAIL() << "no exception";
  } catch (const std::invalid_argument& error) {
    EXPECT_STREQ(error.what(),
                 "setup.occupy: unknown address 'grpc' (known: fleet, serverappio, exec)");
  }
}

}  // namespace
}  // namespace harness
