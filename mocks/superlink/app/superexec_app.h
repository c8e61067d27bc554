// The mock flower-superexec (Flower 1.21+): the child a SuperLink started with --isolation
// subprocess leaves behind. It watches its parent as the real one does (every 200 ms: is the
// pid still there? if not, SIGINT to itself, then the graceful exit "SuperExec terminated
// gracefully.", status 0) and loops once a second where the real one asks the AppIo API for
// runs to launch. It launches nothing. Failpoint sites: the profile's superexec.* ones, armed
// from FAILPOINTS; firings go to SUPERLINK_FAULT_JOURNAL.
#pragma once

namespace superlink {

// Never returns but for --help and --list-failpoints (0); a bad command line is status 2.
int superexec_main(int argc, const char* const* argv);

}  // namespace superlink
