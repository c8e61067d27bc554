// The end of flwr_exit. In 1.18 the process ends at once; from 1.24 Flower runs the registered
// exit handlers first, with a watchdog thread that forces the exit after 5 s should one hang.
// The mock's only handler is the failpoint site `exit.handler` (the real ones stop the gRPC
// servers), so a scenario can hang it and see the watchdog end the process.
#pragma once

namespace superlink {

// Flushes the log, then, when the active profile has a forced exit: starts the watchdog, runs
// the exit handlers (an exception in one is ignored, as in Flower) and ends the process with
// `status`. Otherwise ends it with `status` at once.
[[noreturn]] void run_exit_handlers_then_exit(int status);

}  // namespace superlink
