// [setup] occupy: listening sockets the harness holds on 127.0.0.1 so that the target's bind of
// that address fails with "address already in use".
#pragma once

#include <map>
#include <string>
#include <vector>

#include "unique_fd.h"

namespace harness {

class OccupiedPorts {
 public:
  // name -> port, for build_target_command.
  const std::map<std::string, int>& ports() const { return ports_; }

 private:
  friend OccupiedPorts occupy_ports(const std::vector<std::string>& names,
                                    const std::map<std::string, int>& ports);
  std::map<std::string, int> ports_;
  std::vector<UniqueFd> fds_;  // move-only: the sockets have one holder
};

// Binds and listens on 127.0.0.1 (SO_REUSEADDR off) for each name ("fleet", "serverappio",
// "exec") on the port `ports` gives it (the run's allocated one; none: any free port). Throws
// std::invalid_argument for another name ("setup.occupy: unknown address 'x' (known: fleet,
// serverappio, exec)") and std::system_error when a socket cannot be bound.
OccupiedPorts occupy_ports(const std::vector<std::string>& names,
                           const std::map<std::string, int>& ports = {});

// Binds and listens on `address` ("127.0.0.1:9092", "[::1]:9092"; SO_REUSEADDR off), the
// address a target was given: the `occupy` event. The listening socket (close-on-exec), or
// std::system_error ("cannot bind 127.0.0.1:9092: Address already in use"); a malformed address
// is std::invalid_argument.
UniqueFd listen_on(const std::string& address);

}  // namespace harness
