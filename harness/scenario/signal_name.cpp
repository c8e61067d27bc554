#include "harness/signal_name.h"

#include <string.h>  // sigabbrev_np (glibc): the names without a table of our own to keep

#include <charconv>
#include <csignal>

namespace harness {

std::optional<int> parse_signal(std::string_view text) {
  int number = 0;
  const auto* end = text.data() + text.size();
  if (auto [ptr, ec] = std::from_chars(text.data(), end, number);
      ec == std::errc{} && ptr == end && !text.empty()) {
    if (number >= 1 && number <= SIGRTMAX) return number;
    return std::nullopt;
  }
  if (text.substr(0, 3) == "SIG") text.remove_prefix(3);
  for (int candidate = 1; candidate < NSIG; ++candidate) {
    const char* abbrev = sigabbrev_np(candidate);
    if (abbrev != nullptr && text == abbrev) return candidate;
  }
  return std::nullopt;
}

std::string signal_name(int signal) {
  const char* abbrev = sigabbrev_np(signal);
  if (abbrev == nullptr) return "signal " + std::to_string(signal);
  return std::string("SIG") + abbrev;
}

}  // namespace harness
