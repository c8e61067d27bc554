// The ports of one run: a lease per API from the shared allocator, and the `[setup] occupy`
// sockets on some of them, retried on fresh ports when something outside the lock files bound
// one first.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "faults/occupy_ports.h"
#include "port_allocator.h"

namespace harness {

struct RunPorts {
  PortLeases leases;
  OccupiedPorts occupied;
};

using OccupyFunction = std::function<OccupiedPorts(const std::vector<std::string>&,
                                                   const std::map<std::string, int>&)>;

// Leases a port for each of `apis` and occupies `occupy` among them. The allocator found each
// port free, but a process that takes no lease may bind one before the harness does: on
// EADDRINUSE the run takes fresh ports (the taken one is then seen bound and passed over), up to
// `tries` times, and the last error is thrown. Any other error is thrown at once. `occupy_with`
// is occupy_ports, or a test's wrapper around it.
RunPorts lease_run_ports(const std::vector<std::string>& apis,
                         const std::vector<std::string>& occupy, int tries = 3,
                         const OccupyFunction& occupy_with = occupy_ports);

}  // namespace harness
