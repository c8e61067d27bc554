#include "substitutions.h"

#include <algorithm>
#include <functional>

namespace harness {

namespace {

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// Calls `on_text` for literal pieces and `on_name` for each `{name}` (name: [A-Za-z0-9_]+). A
// brace that does not open such a reference is literal, as is `${...}`.
void scan(std::string_view text, const std::function<void(std::string_view)>& on_text,
          const std::function<void(std::string_view, std::size_t)>& on_name) {
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if ((c == '{' || c == '}') && i + 1 < text.size() && text[i + 1] == c) {
      on_text(text.substr(i, 1));
      i += 2;
      continue;
    }
    if (c == '{' && (i == 0 || text[i - 1] != '$')) {
      std::size_t end = i + 1;
      while (end < text.size() && is_name_char(text[end])) ++end;
      if (end > i + 1 && end < text.size() && text[end] == '}') {
        on_name(text.substr(i + 1, end - i - 1), i);
        i = end + 1;
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
