#include "regex_limits.h"

#include <cctype>

namespace harness {
namespace {

bool is_digit(char c) {
  return std::isdigit(static_cast<unsigned char>(c)) != 0;
}

// The run of digits at `at`, and whether its value exceeds the limit (without overflowing).
struct Number {
  std::string_view text;
  bool too_large = false;
};

Number read_number(std::string_view pattern, std::size_t at) {
  std::size_t end = at;
  long value = 0;
  bool too_large = false;
  while (end < pattern.size() && is_digit(pattern[end])) {
    if (!too_large) value = value * 10 + (pattern[end] - '0');
    too_large = too_large || value > kMaxRegexNumber;
    ++end;
  }
  return {pattern.substr(at, end - at), too_large};
}

std::string refusal(std::string_view digits, const char* what) {
  constexpr std::size_t kShown = 24;
  std::string shown(digits.substr(0, kShown));
  if (digits.size() > kShown) shown += "...";
  return std::string(what) + " " + shown + " is over " + std::to_string(kMaxRegexNumber);
}

}  // namespace

std::optional<std::string> regex_number_too_large(std::string_view pattern) {
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '\\' && i + 1 < pattern.size()) {
      if (is_digit(pattern[i + 1])) {
        const Number n = read_number(pattern, i + 1);
        if (n.too_large) return refusal(n.text, "the back-reference");
      }
      ++i;  // the escaped character is not special
    } else if (pattern[i] == '{') {
      for (std::size_t at = i + 1; at < pattern.size() && is_digit(pattern[at]);) {
        const Number n = read_number(pattern, at);
        if (n.too_large) return refusal(n.text, "the repetition count");
        at += n.text.size();
        if (at < pattern.size() && pattern[at] == ',') ++at;  // {n,m}
      }
    }
  }
  return std::nullopt;
}

}  // namespace harness
