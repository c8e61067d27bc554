// The JSON string encoding of the fault journal, written by hand so the runtime stays free of
// dependencies. Everything else (the harness's reports, the mock's ready file) uses nlohmann/json.
#pragma once

#include <string>
#include <string_view>

namespace failpoint {

// Appends `text` as a JSON string literal, quotes included: `"`, `\` and control characters are
// escaped; other bytes are copied as they are (callers that need valid UTF-8 repair it first).
void append_json_string(std::string& out, std::string_view text);

}  // namespace failpoint
