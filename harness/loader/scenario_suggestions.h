// "did you mean" for the loader's messages: the known word a mistyped one was meant to be.
#pragma once

#include <algorithm>
#include <cstddef>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include "scenario/edit_distance.h"

namespace harness::internal {

inline std::size_t common_prefix(std::string_view a, std::string_view b) {
  const auto [end, unused] = std::mismatch(a.begin(), a.end(), b.begin(), b.end());
  return static_cast<std::size_t>(end - a.begin());
}

// The closest of `known` to `word`, when it is close enough to be a typo of it: a few edits
// away, or sharing a long start ("timeout" for "timeout_ms").
template <typename Range>
std::optional<std::string_view> closest(std::string_view word, const Range& known) {
  constexpr std::size_t kLongPrefix = 5;
  std::optional<std::string_view> best;
  std::size_t best_distance = std::numeric_limits<std::size_t>::max();
  for (std::string_view candidate : known) {
    const std::size_t distance = edit_distance(word, candidate, Fit::Whole);
    const bool typo = distance <= std::max<std::size_t>(2, word.size() / 3) ||
                      common_prefix(word, candidate) >= kLongPrefix;
    if (typo && distance < best_distance) {
      best = candidate;
      best_distance = distance;
    }
  }
  return best;
}

template <typename Range>
std::string join(const Range& words) {
  std::string text;
  for (std::string_view word : words) {
    if (!text.empty()) text += ", ";
    text += word;
  }
  return text;
}

}  // namespace harness::internal
