// The mock SuperLink's start-up and supervision, in Flower's order. main() only calls this.
#pragma once

namespace superlink {

// Reads the environment and the command line, starts everything, supervises the critical
// threads and ends the process with the status the contract gives. Returns only for --help,
// --version and --list-failpoints (status 0).
int superlink_main(int argc, const char* const* argv);

}  // namespace superlink
