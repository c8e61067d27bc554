#include "superlink/fleet/grpc_listener.h"

#include <netdb.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

#include "unique_fd.h"

namespace superlink {
namespace {

int bound_port(int fd) {
  sockaddr_storage storage{};
  socklen_t size = sizeof storage;
  getsockname(fd, reinterpret_cast<sockaddr*>(&storage), &size);
  if (storage.ss_family == AF_INET6)
    return ntohs(reinterpret_cast<sockaddr_in6*>(&storage)->sin6_port);
  return ntohs(reinterpret_cast<sockaddr_in*>(&storage)->sin_port);
}

}  // namespace

Address bind_grpc_listener(const Address& address, const std::string& thread_name) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  addrinfo* found = nullptr;
  const std::string port = std::to_string(address.port);
  if (getaddrinfo(address.host.c_str(), port.c_str(), &hints, &found) != 0 || found == nullptr) {
    throw BindFailure{EADDRNOTAVAIL};
  }
  int last_error = EADDRNOTAVAIL;
  harness::UniqueFd listener;
  for (addrinfo* ai = found; ai != nullptr && !listener; ai = ai->ai_next) {
    listener.reset(::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol));
    if (!listener) {
      last_error = errno;
      continue;
    }
    const int yes = 1;
    setsockopt(listener.get(), SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);  // as gRPC does
    if (::bind(listener.get(), ai->ai_addr, ai->ai_addrlen) != 0 ||
        ::listen(listener.get(), 128) != 0) {
      last_error = errno;
      listener.reset();
    }
  }
  freeaddrinfo(found);
  if (!listener) throw BindFailure{last_error};
  const int fd = listener.release();  // the accepting thread's, as long as the process lives

  Address bound = address;
  bound.port = bound_port(fd);
  // Not a critical thread: it only keeps the port answering, and dies with the process.
  std::thread([fd, name = thread_name.substr(0, 15)] {
    pthread_setname_np(pthread_self(), name.c_str());
    for (;;) {
      const harness::UniqueFd client(::accept4(fd, nullptr, nullptr, SOCK_CLOEXEC));
    }
  }).detach();
  return bound;
}

}  // namespace superlink
