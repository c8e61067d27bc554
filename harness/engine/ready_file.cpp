#include "ready_file.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace harness {

std::optional<std::map<std::string, std::string>> parse_ready_file(std::string_view text) {
  // Not throwing: a half-written file is a discarded value, read again later.
  const nlohmann::json doc = nlohmann::json::parse(text, nullptr, false);
  if (!doc.is_object()) return std::nullopt;
  std::map<std::string, std::string> addresses;
  constexpr std::string_view kSuffix = "_api_address";
  for (const auto& [key, value] : doc.items()) {
    if (value.is_string() && key.size() > kSuffix.size() && key.ends_with(kSuffix)) {
      addresses[key.substr(0, key.size() - kSuffix.size())] = value.get<std::string>();
    }
  }
  // The mock's failpoint control endpoint (--failpoint-control) is no API but is reached the same.
  if (const auto control = doc.find("failpoint_control_address");
      control != doc.end() && control->is_string()) {
    addresses["failpoint_control"] = control->get<std::string>();
  }
  if (const auto nested = doc.find("addresses"); nested != doc.end() && nested->is_object()) {
    for (const auto& [name, value] : nested->items()) {
      if (value.is_string()) addresses[name] = value.get<std::string>();
    }
  }
  return addresses;
}

std::optional<std::map<std::string, std::string>> read_ready_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return parse_ready_file(text.str());
}

}  // namespace harness
