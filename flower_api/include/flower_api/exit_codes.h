// The SuperLink's exit codes (Flower's documented table): the numbers, and the row each imitated
// release prints for one (flower_api/exit_code_tables.h).
#pragma once

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

// Codes below 100 are successes (logged at INFO, no `Exit Code:` line).
inline bool is_error(int code) {
  return code >= 100;
}

}  // namespace superlink
