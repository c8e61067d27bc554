// A minimal JSON reader for what targets write for the harness: the ready file and the lines of
// the fault journal. Objects keep their members in file order; numbers keep their text.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace harness {

struct JsonMember;

struct JsonValue {
  enum class Kind { Null, Bool, Number, String, Array, Object };
  Kind kind = Kind::Null;
  std::string text;                 // the string's value, the number's digits, "true"/"false"
  std::vector<JsonValue> items;     // Array
  std::vector<JsonMember> members;  // Object (a vector may hold a type completed later)

  const JsonValue* find(std::string_view key) const;  // Object member, or null
};

struct JsonMember {
  std::string key;
  JsonValue value;
};

// The whole of `input` as one JSON value; nullopt when it is not valid JSON (a torn line).
std::optional<JsonValue> parse_json(std::string_view input);

}  // namespace harness
