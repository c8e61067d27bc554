// A loopback port held by a listening socket for as long as the object lives: the mock's bind
// of that address must then fail.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <string>

#include "unique_fd.h"

namespace superlink::test_support {

struct TakenPort {
  TakenPort() : fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
    const int socket = fd.get();
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bound = ::bind(socket, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
            ::listen(socket, 1) == 0;
    socklen_t size = sizeof addr;
    ::getsockname(socket, reinterpret_cast<sockaddr*>(&addr), &size);
    port = std::to_string(ntohs(addr.sin_port));
    address = "127.0.0.1:" + port;
  }
  harness::UniqueFd fd;
  bool bound = false;   // bound and listening
  std::string port;     // "40123"
  std::string address;  // "127.0.0.1:40123"
};

}  // namespace superlink::test_support
