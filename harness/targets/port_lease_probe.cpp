// port-lease-probe ROUNDS: ROUNDS times, leases the four API ports of a run, prints them on one
// line and gives them back, as a harness running ROUNDS scenarios one after another would. Tests
// run several at once to check that concurrent harness processes never share a port.
#include <cstdio>
#include <cstdlib>
#include <exception>

#include "port_allocator.h"

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  const int rounds = std::atoi(argv[1]);
  try {
    for (int round = 0; round < rounds; ++round) {
      const harness::PortLeases leases =
          harness::allocate_ports({"fleet", "serverappio", "exec", "control"});
      for (const auto& [name, port] : leases.ports()) std::printf("%d ", port);
      std::printf("\n");
    }
  } catch (const std::exception& error) {
    std::fprintf(stderr, "%s\n", error.what());
    return 1;
  }
  return 0;
}
