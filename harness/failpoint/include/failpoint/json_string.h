// The JSON string encoding the fault journal uses, shared with the tools that write JSON beside
// it (the harness's reports, the mock's ready file) so every writer escapes the same way.
#pragma once

#include <string>
#include <string_view>

namespace failpoint {

// Appends `text` as a JSON string literal, quotes included: `"`, `\` and control characters are
// escaped; other bytes are copied as they are (callers that need valid UTF-8 repair it first).
void append_json_string(std::string& out, std::string_view text);

}  // namespace failpoint
