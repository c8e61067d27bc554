#include "substitutions.h"

#include <algorithm>
#include <functional>

namespace harness {

namespace {

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// The length of the name at `from` ([A-Za-z0-9_]+), 0 when there is none.
std::size_t name_length(std::string_view text, std::size_t from) {
  std::size_t end = from;
  while (end < text.size() && is_name_char(text[end])) ++end;
  return end - from;
}

// Calls `on_text` for literal pieces and `on_name` for each `{name}` (name: [A-Za-z0-9_]+).
// `{{name}}` is the literal text `{name}`; every other brace is literal (JSON's `}}`, the
// shell's `${...}`).
void scan(std::string_view text, const std::function<void(std::string_view)>& on_text,
          const std::function<void(std::string_view, std::size_t)>& on_name) {
  std::size_t i = 0;
  while (i < text.size()) {
    if (text.substr(i, 2) == "{{") {
      const std::size_t length = name_length(text, i + 2);
      if (length > 0 && text.substr(i + 2 + length, 2) == "}}") {
        on_text(text.substr(i + 1, length + 2));  // "{name}"
        i += length + 4;
        continue;
      }
    }
    if (text[i] == '{' && (i == 0 || text[i - 1] != '$')) {
      const std::size_t length = name_length(text, i + 1);
      if (length > 0 && i + 1 + length < text.size() && text[i + 1 + length] == '}') {
        on_name(text.substr(i + 1, length), i);
        i += length + 2;
        continue;
      }
    }
    on_text(text.substr(i, 1));
    ++i;
  }
}

}  // namespace

std::optional<UnknownSubstitution> find_unknown_substitution(std::string_view text) {
  std::optional<UnknownSubstitution> unknown;
  scan(
      text, [](std::string_view) {},
      [&](std::string_view name, std::size_t offset) {
        if (unknown) return;
        if (std::find(kSubstitutions.begin(), kSubstitutions.end(), name) == kSubstitutions.end())
          unknown = UnknownSubstitution{std::string(name), offset};
      });
  return unknown;
}

bool uses_substitution(std::string_view text, std::string_view name) {
  bool used = false;
  scan(
      text, [](std::string_view) {},
      [&](std::string_view found, std::size_t) { used = used || found == name; });
  return used;
}

std::string substitute(std::string_view text, const std::map<std::string, std::string>& values) {
  std::string out;
  out.reserve(text.size());
  scan(
      text, [&](std::string_view piece) { out += piece; },
      [&](std::string_view name, std::size_t) {
        const auto it = values.find(std::string(name));
        if (it != values.end()) out += it->second;
      });
  return out;
}

}  // namespace harness
