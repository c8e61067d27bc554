// A loopback address for a target a test starts, leased from the harness's port allocator until
// the test process ends: below the kernel's ephemeral range, so no other test's connect() takes
// it before the target binds it, and never handed to a concurrent test or harness run.
#pragma once

#include <mutex>
#include <string>
#include <vector>

#include "port_allocator.h"

namespace superlink::test_support {

inline std::string leased_address() {
  static std::mutex mutex;
  static std::vector<harness::PortLeases> held;
  harness::PortLeases lease = harness::allocate_ports({"test"});
  const int port = lease.ports().at("test");
  const std::lock_guard lock(mutex);
  held.push_back(std::move(lease));
  return "127.0.0.1:" + std::to_string(port);
}

}  // namespace superlink::test_support
