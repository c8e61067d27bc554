// Limits the harness puts on user regexes before std::regex sees them. libstdc++'s regex compiler
// overflows a signed integer on a huge repetition count or back-reference number (undefined
// behaviour), and a large count makes it build an automaton of that size. Scenario regexes never
// need either, so both are refused with a message instead.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace harness {

inline constexpr long kMaxRegexNumber = 1000;

// Why `pattern` is refused (a count in {..} or a back-reference number over kMaxRegexNumber),
// or nothing when it is within the limits.
std::optional<std::string> regex_number_too_large(std::string_view pattern);

}  // namespace harness
