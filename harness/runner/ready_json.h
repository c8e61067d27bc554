// A minimal JSON reader for what targets write for the harness: the ready file and the lines of
// the fault journal. Objects keep their members in file order; numbers keep their text.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace harness {

struct JsonValue {
  enum class Kind { Null, Bool, Number, String, Array, Object };
  Kind kind = Kind::Null;
  std::string text;              // the string's value, the number's digits, "true"/"false"
  std::vector<JsonValue> items;  // Array
  std::vector<std::pair<std::string, JsonValue>> members;  // Object

  const JsonValue* find(std::string_view key) const;  // Object member, or null
};

// The whole of `input` as one JSON value; nullopt when it is not valid JSON (a torn line).
std::optional<JsonValue> parse_json(std::string_view input);

}  // namespace harness
