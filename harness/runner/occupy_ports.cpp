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

OccupiedPorts::OccupiedPorts(OccupiedPorts&& other) noexcept
    : ports_(std::move(other.ports_)), fds_(std::exchange(other.fds_, {})) {}

OccupiedPorts& OccupiedPorts::operator=(OccupiedPorts&& other) noexcept {
  if (this != &other) {
    close_all();
    ports_ = std::move(other.ports_);
    fds_ = std::exchange(other.fds_, {});
  }
  return *this;
}

OccupiedPorts::~OccupiedPorts() {
  close_all();
}

void OccupiedPorts::close_all() {
  for (const int fd : fds_) ::close(fd);
  fds_.clear();
}

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
    occupied.fds_.push_back(fd);
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

}  // namespace harness
