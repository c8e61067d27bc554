#include "port_allocator.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <optional>
#include <random>
#include <utility>

#include "unique_fd.h"

namespace harness {

namespace {

constexpr int kMaxRangeSize = 12000;
constexpr std::chrono::seconds kCooldown{60};  // Linux's TIME-WAIT lasts 60 s

PortRange parse_range(const std::string& text) {
  const auto dash = text.find('-');
  try {
    if (dash != std::string::npos) {
      std::size_t used = 0;
      const int first = std::stoi(text.substr(0, dash), &used);
      if (used == dash) {
        const std::string rest = text.substr(dash + 1);
        const int last = std::stoi(rest, &used);
        if (used == rest.size() && first >= 1024 && first <= last && last <= 65535) {
          return {first, last};
        }
      }
    }
  } catch (const std::logic_error&) {
  }
  throw PortAllocationError("SUPERLINK_PORT_RANGE: '" + text +
                            "' is not a range FIRST-LAST within 1024-65535");
}

// Binds an IPv4 and an IPv6 wildcard socket without SO_REUSEADDR: fails when anything, a
// TIME-WAIT socket included, uses the port on any address.
bool nothing_bound_to(int port) {
  {  // the IPv4 probe is closed before the IPv6 one
    const UniqueFd v4(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!v4) return false;
    sockaddr_in a4{};
    a4.sin_family = AF_INET;
    a4.sin_port = htons(static_cast<std::uint16_t>(port));
    if (::bind(v4.get(), reinterpret_cast<sockaddr*>(&a4), sizeof(a4)) != 0) return false;
  }
  const UniqueFd v6(::socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!v6) return true;  // no IPv6 on this machine: nothing can hold the port there
  int only = 1;
  ::setsockopt(v6.get(), IPPROTO_IPV6, IPV6_V6ONLY, &only, sizeof(only));
  sockaddr_in6 a6{};
  a6.sin6_family = AF_INET6;
  a6.sin6_port = htons(static_cast<std::uint16_t>(port));
  return ::bind(v6.get(), reinterpret_cast<sockaddr*>(&a6), sizeof(a6)) == 0 ||
         errno == EADDRNOTAVAIL;  // IPv6 without an address: nothing holds it there
}

UniqueFd open_lock_dir() {
  const std::string dir = port_lock_dir();
  if (::mkdir(dir.c_str(), 01777) == 0) {
    ::chmod(dir.c_str(), 01777);  // not narrowed by the umask: every user's harness shares it
  } else if (errno != EEXIST) {
    throw PortAllocationError("cannot create the port lock folder " + dir + ": " +
                              std::strerror(errno));
  }
  UniqueFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd) {
    throw PortAllocationError("cannot open the port lock folder " + dir + ": " +
                              std::strerror(errno));
  }
  return fd;
}

// The lock file of `port`, locked, or none when another run holds it (or it cannot be opened).
UniqueFd lock_port(int dir_fd, int port) {
  const std::string name = std::to_string(port);
  UniqueFd fd(::openat(dir_fd, name.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666));
  if (!fd || ::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) return UniqueFd();
  ::fchmod(fd.get(), 0666);  // another user's harness must be able to lock it too
  return fd;
}

// When the port was last released: a file that was never released is empty.
std::optional<std::chrono::system_clock::time_point> released_at(int fd) {
  struct stat info {};
  if (::fstat(fd, &info) != 0 || info.st_size == 0) return std::nullopt;
  const auto since_epoch =
      std::chrono::seconds(info.st_mtim.tv_sec) + std::chrono::nanoseconds(info.st_mtim.tv_nsec);
  return std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(since_epoch));
}

}  // namespace

std::string port_lock_dir() {
  const char* dir = std::getenv("SUPERLINK_PORT_LOCK_DIR");
  return dir != nullptr && *dir != '\0' ? dir : "/tmp/superlink-harness-ports";
}

PortRange allocatable_ports() {
  if (const char* given = std::getenv("SUPERLINK_PORT_RANGE"); given != nullptr && *given) {
    return parse_range(given);
  }
  int ephemeral_first = 32768;
  int ephemeral_last = 60999;
  std::ifstream file("/proc/sys/net/ipv4/ip_local_port_range");
  file >> ephemeral_first >> ephemeral_last;
  const int last = ephemeral_first - 1;
  const int first = std::max(1024, last - kMaxRangeSize + 1);
  if (last - first < 64) {
    throw PortAllocationError(
        "no ports below the kernel's ephemeral range (" + std::to_string(ephemeral_first) + "-" +
        std::to_string(ephemeral_last) + "): set SUPERLINK_PORT_RANGE=FIRST-LAST");
  }
  return {first, last};
}

PortLeases::PortLeases(PortLeases&& other) noexcept
    : ports_(std::move(other.ports_)), lock_fds_(std::exchange(other.lock_fds_, {})) {}

PortLeases& PortLeases::operator=(PortLeases&& other) noexcept {
  if (this != &other) {
    release();
    ports_ = std::move(other.ports_);
    lock_fds_ = std::exchange(other.lock_fds_, {});
  }
  return *this;
}

PortLeases::~PortLeases() {
  release();
}

void PortLeases::release() {
  for (const UniqueFd& fd : lock_fds_) {
    // One byte and a fresh mtime: "released now" for the cooldown.
    if (::ftruncate(fd.get(), 1) == 0) ::futimens(fd.get(), nullptr);
  }
  lock_fds_.clear();
}

PortLeases allocate_ports(const std::vector<std::string>& names) {
  const PortRange range = allocatable_ports();
  const UniqueFd dir_fd = open_lock_dir();
  const int size = range.last - range.first + 1;
  // A random start: concurrent harnesses rarely probe the same files.
  std::random_device entropy;
  int next = static_cast<int>(entropy() % static_cast<unsigned>(size));
  PortLeases leases;
  for (const std::string& name : names) {
    const auto now = std::chrono::system_clock::now();
    int oldest_cooling = -1;
    std::optional<std::chrono::system_clock::time_point> oldest_at;
    int chosen = -1;
    for (int tried = 0; tried < size && chosen < 0; ++tried, next = (next + 1) % size) {
      const int port = range.first + next;
      UniqueFd fd = lock_port(dir_fd.get(), port);
      if (!fd) continue;
      const auto released = released_at(fd.get());
      const bool cooling = released && now - *released < kCooldown;
      if (!cooling && nothing_bound_to(port)) {
        chosen = port;
        leases.lock_fds_.push_back(std::move(fd));
      } else if (cooling && (!oldest_at || *released < *oldest_at)) {
        oldest_at = released;
        oldest_cooling = port;
      }
    }
    if (chosen < 0 && oldest_cooling >= 0) {
      // Every free port cooled down less than a minute ago: the one released longest ago.
      UniqueFd fd = lock_port(dir_fd.get(), oldest_cooling);
      if (fd && nothing_bound_to(oldest_cooling)) {
        chosen = oldest_cooling;
        leases.lock_fds_.push_back(std::move(fd));
      }
    }
    if (chosen < 0) {
      throw PortAllocationError("no free port for the " + name + " API in " +
                                std::to_string(range.first) + "-" + std::to_string(range.last) +
                                " (every one is bound or held by another run)");
    }
    leases.ports_[name] = chosen;
  }
  return leases;
}

}  // namespace harness
