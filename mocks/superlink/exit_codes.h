// The SuperLink's exit codes (Flower's documented table) and the exit block it logs.
#pragma once

#include <string>
#include <string_view>

namespace superlink {

namespace exit_code {
inline constexpr int kSuccess = 0;
inline constexpr int kGracefulSigint = 1;
inline constexpr int kGracefulSigquit = 2;
inline constexpr int kGracefulSigterm = 3;
inline constexpr int kThreadCrash = 100;
inline constexpr int kInvalidArgs = 104;
inline constexpr int kAddressInvalid = 600;
inline constexpr int kMissingExtraRest = 601;
inline constexpr int kTlsNotSupported = 602;
}  // namespace exit_code

struct ExitCodeInfo {
  int code;
  std::string_view name;  // Flower's ExitCode member name
  std::string_view help;  // the short help text; empty when there is none
};

// The entry for `code` in the active version's table; nullptr for a code that is not in it.
const ExitCodeInfo* find_exit_code(int code);

// Codes below 100 are successes (logged at INFO, no `Exit Code:` line).
inline bool is_error(int code) {
  return code >= 100;
}

// The text of the one log record flwr_exit writes. Errors:
//   Exit Code: <code>\n<message>\n<help>\n\nFor more information, visit: <url>
// Successes: the message, then the help text when there is one.
std::string exit_block(int code, std::string_view message);

// How the process status is chosen: the documented code (kept to its low byte by the kernel),
// or what the real SuperLink does (1 for every error, 0 otherwise).
enum class ExitStatusMode { kDocumented, kFlower };
int process_status(int code, ExitStatusMode mode);

}  // namespace superlink

namespace superlink {

// Flower's flwr_exit: logs exit_block(code, message) as one record (ERROR for errors, INFO
// otherwise), then ends the process with process_status(code, mode) through the version's exit
// handlers (run_exit_handlers_then_exit; at once in 1.18). _exit, not exit:
// other threads may still run, and static destructors must not race them.
[[noreturn]] void flwr_exit(int code, std::string_view message, ExitStatusMode mode);

}  // namespace superlink
