#include "superlink/exit_codes.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <array>

namespace superlink {
namespace {

// Flower's help texts (ref-exit-codes), word for word.
constexpr std::array<ExitCodeInfo, 9> kTable{{
    {exit_code::kSuccess, "SUCCESS", ""},
    {exit_code::kGracefulSigint, "GRACEFUL_EXIT_SIGINT", ""},
    {exit_code::kGracefulSigquit, "GRACEFUL_EXIT_SIGQUIT", ""},
    {exit_code::kGracefulSigterm, "GRACEFUL_EXIT_SIGTERM", ""},
    {exit_code::kThreadCrash, "SUPERLINK_THREAD_CRASH",
     "An important background thread has crashed."},
    {exit_code::kInvalidArgs, "SUPERLINK_INVALID_ARGS",
     "Invalid arguments provided to SuperLink. Use `--help` check for the correct usage. "
     "Alternatively, check the documentation."},
    {exit_code::kAddressInvalid, "COMMON_ADDRESS_INVALID",
     "Please provide a valid URL, IPv4 or IPv6 address."},
    {exit_code::kMissingExtraRest, "COMMON_MISSING_EXTRA_REST",
     "Extra dependencies required for using the REST-based Fleet API are missing.\n\n"
     "To use the REST API, install `flwr[rest]` package."},
    {exit_code::kTlsNotSupported, "COMMON_TLS_NOT_SUPPORTED", "Please use the '--insecure' flag."},
}};

}  // namespace

const ExitCodeInfo* find_exit_code(int code) {
  for (const auto& info : kTable) {
    if (info.code == code) return &info;
  }
  return nullptr;
}

std::string exit_block(int code, std::string_view message) {
  const ExitCodeInfo* info = find_exit_code(code);
  const std::string_view help = info ? info->help : std::string_view{};
  if (!is_error(code)) {
    std::string text(message);
    if (!help.empty()) text += (text.empty() ? "" : "\n") + std::string(help);
    return text;
  }
  std::string text = "Exit Code: " + std::to_string(code) + "\n";
  text += message;
  text += "\n";
  text += help;
  text += "\n\nFor more information, visit: <https://flower.ai/docs/framework/ref-exit-codes/" +
          std::to_string(code) + ".html>";
  return text;
}

int process_status(int code, ExitStatusMode mode) {
  if (mode == ExitStatusMode::kFlower) return is_error(code) ? 1 : 0;
  return code & 0xff;
}

}  // namespace superlink

namespace superlink {

void flwr_exit(int code, std::string_view message, ExitStatusMode mode) {
  const std::string block = exit_block(code, message);
  if (is_error(code)) {
    spdlog::error("{}", block);
  } else if (!block.empty()) {
    spdlog::info("{}", block);
  }
  spdlog::default_logger()->flush();
  ::_exit(process_status(code, mode));
}

}  // namespace superlink
