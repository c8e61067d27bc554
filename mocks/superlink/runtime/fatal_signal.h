// On SIGSEGV, SIGABRT, SIGBUS, SIGFPE or SIGILL: one line naming the signal and the thread,
// written with write(2), then the default action, so the process still dies by that signal.
#pragma once

namespace superlink {

// `colour` picks the ERROR prefix, like the logger's. Call once, early.
void install_fatal_signal_handlers(bool colour);

}  // namespace superlink
