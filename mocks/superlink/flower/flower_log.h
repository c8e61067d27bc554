// Flower's console log format on spdlog: `{colour}LEVEL {reset}: {pad} message` on stderr, one
// write(2) per record, so every record is out before any exit path runs.
#pragma once

#include <spdlog/formatter.h>
#include <spdlog/logger.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace superlink {

struct LogSettings {
  spdlog::level::level_enum level = spdlog::level::info;
  bool colour = true;
  bool timestamps = false;  // on at DEBUG, as in Flower
};

// Reads FLWR_LOG_LEVEL (default INFO) and NO_COLOR (set to anything: no colours). An unknown
// level leaves INFO and an error text: the mock's own, naming the bad value, or, with
// `flower`, the real SuperLink's ERROR record. `flower` also colours always, whatever NO_COLOR
// says, as the real one does.
struct LogSettingsResult {
  LogSettings settings;
  std::optional<std::string> error;
};
LogSettingsResult log_settings_from_env(bool flower = false);

// Formats one record the way Flower's ConsoleHandler does. Continuation lines of a multi-line
// message carry no prefix.
class FlowerFormatter final : public spdlog::formatter {
 public:
  explicit FlowerFormatter(LogSettings settings) : settings_(settings) {}
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override;
  std::unique_ptr<spdlog::formatter> clone() const override;

 private:
  LogSettings settings_;
};

// The record prefix without a timestamp, e.g. "\033[91mERROR \033[0m:     ".
std::string level_prefix(spdlog::level::level_enum level, bool colour);

// Installs the default logger ("flwr"): Flower's format on file descriptor `fd`, flushed on
// every record. Returns it.
std::shared_ptr<spdlog::logger> install_flower_logger(const LogSettings& settings, int fd = 2);

// Writes `text` to stderr as it is (no prefix), like the lines uvicorn and Python print.
void write_raw_stderr(std::string_view text);

}  // namespace superlink
