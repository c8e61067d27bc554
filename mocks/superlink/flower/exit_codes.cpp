#include "superlink/flower/exit_codes.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include "superlink/flower/exit_handlers.h"
#include "superlink/flower/version_profile.h"

namespace superlink {

const ExitCodeInfo* find_exit_code(int code) {
  for (const auto& info : active_profile().exit_codes) {
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
  text += "\n\nFor more information, visit: <" + std::string(active_profile().help_url_prefix) +
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
  run_exit_handlers_then_exit(process_status(code, mode));
}

}  // namespace superlink
