// Starts the flower-superexec child of a 1.26 SuperLink with the real one's command line:
// `flower-superexec --insecure --appio-api-address ADDR --plugin-type serverapp --parent-pid PID`.
// Nothing keeps its pid: as in Flower, nobody supervises it.
#pragma once

#include <string>

namespace superlink {

// `failpoints` (a FAILPOINTS spec of superexec.* sites, may be empty) and `fault_journal` (may
// be empty) reach the child through its environment: FAILPOINTS and SUPERLINK_FAULT_JOURNAL
// replace whatever this process inherited. Throws std::system_error when it cannot start.
void spawn_superexec(const std::string& executable, const std::string& appio_address,
                     const std::string& failpoints, const std::string& fault_journal);

}  // namespace superlink
