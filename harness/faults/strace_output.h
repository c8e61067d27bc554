// What the system-call injector (Debian's strace, run with -ttt) prints, one line at a time:
// the calls it saw, the ones it tampered with (`(INJECTED)`, `(DELAYED)`), the signals it
// delivered, and its own messages (attached, detached, refused). Pure: no I/O.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace harness {

struct StraceLine {
  enum class Kind {
    Call,      // a system call, whole or the first half of an <unfinished ...> one
    Resumed,   // the second half of an unfinished call: <... NAME resumed>
    Signal,    // --- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_KERNEL} ---
    Exit,      // +++ exited with 0 +++, +++ killed by SIGKILL +++
    Attached,  // strace: Process N attached
    Detached,  // strace: Process N detached
    Message,   // any other line of strace's own (an error, a refusal)
  };
  Kind kind = Kind::Message;
  long tid = 0;                // [pid N], or the N of an attach/detach message; 0 when not shown
  double seconds = 0;          // -ttt's wall-clock time; 0 when not shown
  std::string call;            // Call, Resumed
  std::string first_argument;  // Call: the text before the first ", " or ")"
  bool injected = false;       // (INJECTED): an error or a return value was injected
  bool delayed = false;        // (DELAYED)
  bool unfinished = false;     // Call: <unfinished ...>
  std::string signal;          // Signal: "SIGUSR1"; si_code in `text`
  std::string text;            // the line without its [pid N] and time
};

// nullopt for an empty line.
std::optional<StraceLine> parse_strace_line(std::string_view line);

}  // namespace harness
