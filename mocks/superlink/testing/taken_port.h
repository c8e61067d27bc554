// A loopback port held by a listening socket for as long as the object lives: the mock's bind
// of that address must then fail.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

namespace superlink::test_support {

struct TakenPort {
  TakenPort() : fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bound =
        ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 && ::listen(fd, 1) == 0;
    socklen_t size = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &size);
    port = std::to_string(ntohs(addr.sin_port));
    address = "127.0.0.1:" + port;
  }
  ~TakenPort() { ::close(fd); }
  TakenPort(const TakenPort&) = delete;
  TakenPort& operator=(const TakenPort&) = delete;

  int fd;
  bool bound = false;   // bound and listening
  std::string port;     // "40123"
  std::string address;  // "127.0.0.1:40123"
};

}  // namespace superlink::test_support
