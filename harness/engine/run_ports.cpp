#include "run_ports.h"

#include <system_error>

namespace harness {

RunPorts lease_run_ports(const std::vector<std::string>& apis,
                         const std::vector<std::string>& occupy, int tries,
                         const OccupyFunction& occupy_with) {
  for (int attempt = 1;; ++attempt) {
    RunPorts ports;
    ports.leases = allocate_ports(apis);
    try {
      ports.occupied = occupy_with(occupy, ports.leases.ports());
      return ports;
    } catch (const std::system_error& error) {
      if (error.code() != std::errc::address_in_use || attempt >= tries) throw;
    }
  }
}

}  // namespace harness
