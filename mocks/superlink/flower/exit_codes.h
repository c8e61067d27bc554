// The exit block the SuperLink logs for one of its exit codes (flower_api/exit_codes.h), and
// its exit.
#pragma once

#include <string>
#include <string_view>

#include "flower_api/exit_codes.h"

namespace superlink {

// The entry for `code` in the active version's table; nullptr for a code that is not in it.
const ExitCodeInfo* find_exit_code(int code);

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
