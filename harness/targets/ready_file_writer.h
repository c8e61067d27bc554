// Writing the ready file the way the mock does: to a temp name, then rename, so the harness
// never reads half of it.
#pragma once

#include <string>

namespace targets {

// Writes `json` to $SUPERLINK_READY_FILE; returns false when the variable is unset or the write
// fails.
bool write_ready_file(const std::string& json);

}  // namespace targets
