#include "occupy_ports.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <stdexcept>
#include <string_view>
#include <system_error>
#include <utility>

namespace harness {

namespace {

constexpr std::array<std::string_view, 3> kNames = {"fleet", "serverappio", "exec"};

}  // namespace

OccupiedPorts occupy_ports(const std::vector<std::string>& names,
                           const std::map<std::string, int>& ports) {
  OccupiedPorts occupied;
  for (const std::string& name : names) {
    if (std::find(kNames.begin(), kNames.end(), name) == kNames.end()) {
      throw std::invalid_argument("setup.occupy: unknown address '" + name +
                                  "' (known: fleet, serverappio, exec)");
    }
    if (occupied.ports_.contains(name)) continue;
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) throw std::system_error(errno, std::generic_category(), "setup.occupy: socket");
    occupied.fds_.emplace_back(fd);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const auto given = ports.find(name);
    address.sin_port = htons(static_cast<std::uint16_t>(given == ports.end() ? 0 : given->second));
    socklen_t length = sizeof(address);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
        ::listen(fd, 1) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      throw std::system_error(errno, std::generic_category(),
                              "setup.occupy: cannot bind 127.0.0.1 for '" + name + "'");
    }
    occupied.ports_[name] = ntohs(address.sin_port);
  }
  return occupied;
}

UniqueFd listen_on(const std::string& address) {
  const auto colon = address.rfind(':');
  std::string host = colon == std::string::npos ? "" : address.substr(0, colon);
  const std::string port_text = colon == std::string::npos ? "" : address.substr(colon + 1);
  const bool v6 = host.size() > 2 && host.front() == '[' && host.back() == ']';
  if (v6) host = host.substr(1, host.size() - 2);
  int port = -1;
  if (!port_text.empty() && port_text.size() <= 5 &&
      port_text.find_first_not_of("0123456789") == std::string::npos) {
    port = std::stoi(port_text);
  }
  sockaddr_storage storage{};
  socklen_t length = 0;
  bool parsed = port >= 1 && port <= 65535;
  if (parsed && v6) {
    auto* in6 = reinterpret_cast<sockaddr_in6*>(&storage);
    in6->sin6_family = AF_INET6;
    in6->sin6_port = htons(static_cast<std::uint16_t>(port));
    parsed = ::inet_pton(AF_INET6, host.c_str(), &in6->sin6_addr) == 1;
    length = sizeof(sockaddr_in6);
  } else if (parsed) {
    auto* in4 = reinterpret_cast<sockaddr_in*>(&storage);
    in4->sin_family = AF_INET;
    in4->sin_port = htons(static_cast<std::uint16_t>(port));
    parsed = ::inet_pton(AF_INET, host.c_str(), &in4->sin_addr) == 1;
    length = sizeof(sockaddr_in);
  }
  if (!parsed) throw std::invalid_argument("not an address with a port: '" + address + "'");
  UniqueFd fd(::socket(storage.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd) throw std::system_error(errno, std::generic_category(), "socket");
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&storage), length) != 0 ||
      ::listen(fd.get(), 1) != 0) {
    throw std::system_error(errno, std::generic_category(), "cannot bind " + address);
  }
  return fd;
}

}  // namespace harness
