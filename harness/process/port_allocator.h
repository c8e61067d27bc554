// Loopback ports the harness hands to a run's APIs: concrete ports, never one in the kernel's
// ephemeral range (where a TIME-WAIT socket or an outgoing connection can hold it), and never the
// same for two runs, concurrent harness processes included.
//
// Each port has a lock file in a folder every harness process shares; a run holds an flock(2) on
// the files of its ports, so the kernel releases them even when the harness is killed. A released
// port cools down for a minute (its file's mtime says when) before it is handed out again: the
// target's sockets may still be in TIME-WAIT.
#pragma once

#include <chrono>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "unique_fd.h"

namespace harness {

struct PortRange {
  int first = 0;
  int last = 0;  // inclusive
};

// Where the ports come from: $SUPERLINK_PORT_RANGE ("20000-29999") when set, else the 12,000
// ports (at most) just below the kernel's ephemeral range (/proc/sys/net/ipv4/ip_local_port_range)
// and above 1023. Throws PortAllocationError when no such range exists or the variable is bad.
PortRange allocatable_ports();

// The shared folder of lock files: $SUPERLINK_PORT_LOCK_DIR, else /tmp/superlink-harness-ports.
std::string port_lock_dir();

class PortAllocationError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The ports of one run, held until destroyed.
class PortLeases {
 public:
  PortLeases() = default;
  PortLeases(PortLeases&& other) noexcept;
  PortLeases& operator=(PortLeases&& other) noexcept;
  PortLeases(const PortLeases&) = delete;
  PortLeases& operator=(const PortLeases&) = delete;
  ~PortLeases();

  // API name -> port.
  const std::map<std::string, int>& ports() const { return ports_; }

 private:
  friend PortLeases allocate_ports(const std::vector<std::string>& names);
  void release();
  std::map<std::string, int> ports_;
  std::vector<UniqueFd> lock_fds_;  // closed in release(), after their last touch
};

// One free port per name ("fleet", "serverappio", ...): free means no other lease holds it, it
// has cooled down (or every free one is still cooling: then the one released longest ago), and
// nothing is bound to it on any address. Throws PortAllocationError naming the API that got none.
PortLeases allocate_ports(const std::vector<std::string>& names);

}  // namespace harness
