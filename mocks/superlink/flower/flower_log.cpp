#include "superlink/flower/flower_log.h"

#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <mutex>

namespace superlink {
namespace {

std::string_view level_name(spdlog::level::level_enum level) {
  switch (level) {
    case spdlog::level::trace:
    case spdlog::level::debug:
      return "DEBUG";
    case spdlog::level::info:
      return "INFO";
    case spdlog::level::warn:
      return "WARNING";
    case spdlog::level::err:
      return "ERROR";
    default:
      return "CRITICAL";
  }
}

std::string_view level_colour(spdlog::level::level_enum level) {
  switch (level) {
    case spdlog::level::trace:
    case spdlog::level::debug:
      return "\033[94m";
    case spdlog::level::info:
      return "\033[92m";
    case spdlog::level::warn:
      return "\033[93m";
    case spdlog::level::err:
      return "\033[91m";
    default:
      return "\033[95m";
  }
}

constexpr std::string_view kReset = "\033[0m";

void append(spdlog::memory_buf_t& dest, std::string_view text) {
  dest.append(text.data(), text.data() + text.size());
}

// Python's asctime: "2024-05-01 10:00:00,123".
std::string asctime(spdlog::log_clock::time_point when) {
  const auto since_epoch = when.time_since_epoch();
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(since_epoch);
  const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch - seconds);
  const std::time_t t = seconds.count();
  std::tm local{};
  localtime_r(&t, &local);
  char text[40];
  const std::size_t n = std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S", &local);
  char ms[8];
  std::snprintf(ms, sizeof ms, ",%03d", static_cast<int>(millis.count()));
  return std::string(text, n) + ms;
}

void write_all(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      return;  // nowhere left to report a failing stderr
    }
    data += n;
    size -= static_cast<std::size_t>(n);
  }
}

// One write(2) per record: nothing sits in a buffer when the process calls _exit.
class FdSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  explicit FdSink(int fd) : fd_(fd) {}

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    spdlog::memory_buf_t formatted;
    formatter_->format(msg, formatted);
    write_all(fd_, formatted.data(), formatted.size());
  }
  void flush_() override {}

 private:
  int fd_;
};

}  // namespace

LogSettingsResult log_settings_from_env(bool flower) {
  LogSettingsResult result;
  result.settings.colour = flower || std::getenv("NO_COLOR") == nullptr;
  const char* raw = std::getenv("FLWR_LOG_LEVEL");
  std::string level = raw != nullptr && *raw != '\0' ? raw : "INFO";  // empty: unset, as in Flower
  for (char& c : level) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (level == "DEBUG") {
    result.settings.level = spdlog::level::debug;
    result.settings.timestamps = true;
  } else if (level == "INFO") {
    result.settings.level = spdlog::level::info;
  } else if (level == "WARNING" || level == "WARN") {
    result.settings.level = spdlog::level::warn;
  } else if (level == "ERROR") {
    result.settings.level = spdlog::level::err;
  } else if (level == "CRITICAL") {
    result.settings.level = spdlog::level::critical;
  } else if (flower) {
    result.error = "Failed to set logging level " + level + ". Using default level: INFO";
  } else {
    result.error = "FLWR_LOG_LEVEL: unknown level '" + std::string(raw) +
                   "' (known: DEBUG, INFO, WARNING, ERROR, CRITICAL)";
  }
  return result;
}

std::string level_prefix(spdlog::level::level_enum level, bool colour) {
  const std::string_view name = level_name(level);
  std::string prefix;
  if (colour) prefix += level_colour(level);
  prefix += name;
  prefix += ' ';
  if (colour) prefix += kReset;
  prefix += ": ";
  prefix.append(8 - name.size(), ' ');
  prefix += ' ';
  return prefix;
}

void FlowerFormatter::format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) {
  const std::string_view name = level_name(msg.level);
  if (settings_.colour) append(dest, level_colour(msg.level));
  append(dest, name);
  append(dest, " ");
  if (settings_.timestamps) append(dest, asctime(msg.time));
  if (settings_.colour) append(dest, kReset);
  append(dest, ": ");
  append(dest, std::string(8 - name.size(), ' '));
  append(dest, " ");
  append(dest, std::string_view(msg.payload.data(), msg.payload.size()));
  append(dest, "\n");
}

std::unique_ptr<spdlog::formatter> FlowerFormatter::clone() const {
  return std::make_unique<FlowerFormatter>(settings_);
}

std::shared_ptr<spdlog::logger> install_flower_logger(const LogSettings& settings, int fd) {
  auto sink = std::make_shared<FdSink>(fd);
  sink->set_formatter(std::make_unique<FlowerFormatter>(settings));
  auto logger = std::make_shared<spdlog::logger>("flwr", std::move(sink));
  logger->set_level(settings.level);
  logger->flush_on(spdlog::level::trace);
  spdlog::set_default_logger(logger);
  return logger;
}

void write_raw_stderr(std::string_view text) {
  write_all(2, text.data(), text.size());
}

}  // namespace superlink
