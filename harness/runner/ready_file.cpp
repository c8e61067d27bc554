#include "ready_file.h"

#include <fstream>
#include <sstream>

#include "ready_json.h"

namespace harness {

std::optional<std::map<std::string, std::string>> parse_ready_file(std::string_view text) {
  const std::optional<JsonValue> doc = parse_json(text);
  if (!doc || doc->kind != JsonValue::Kind::Object) return std::nullopt;
  std::map<std::string, std::string> addresses;
  constexpr std::string_view kSuffix = "_api_address";
  for (const auto& [key, value] : doc->members) {
    if (value.kind == JsonValue::Kind::String && key.size() > kSuffix.size() &&
        key.ends_with(kSuffix)) {
      addresses[key.substr(0, key.size() - kSuffix.size())] = value.text;
    }
  }
  if (const JsonValue* nested = doc->find("addresses");
      nested != nullptr && nested->kind == JsonValue::Kind::Object) {
    for (const auto& [name, value] : nested->members) {
      if (value.kind == JsonValue::Kind::String) addresses[name] = value.text;
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
