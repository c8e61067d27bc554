// Machine-readable reports carry the target's bytes; XML and JSON need valid UTF-8.
#pragma once

#include <string>
#include <string_view>

namespace harness::internal {

// `text` with every byte that does not start a well-formed UTF-8 sequence (overlong forms,
// surrogates, code points over U+10FFFF, truncated sequences) replaced by U+FFFD.
std::string repair_utf8(std::string_view text);

}  // namespace harness::internal
