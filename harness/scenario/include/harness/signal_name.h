// Signal names as people write them in scenarios and read them in reports.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace harness {

// "SIGTERM", "TERM" or a number ("15") -> 15. Empty when it names no signal of this system.
std::optional<int> parse_signal(std::string_view text);

// 6 -> "SIGABRT"; a signal without a name (real-time ones) -> "signal 40".
std::string signal_name(int signal);

}  // namespace harness
