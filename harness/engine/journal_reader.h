// Reading the fault journal a target wrote (format: failpoint/failpoint.h, one JSON object per
// line). A process killed mid-write can leave a torn last line: lines that are not a JSON object
// are skipped.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "harness/run_result.h"

namespace harness {

std::vector<JournalEntry> parse_journal(std::string_view text);
// Empty when the file does not exist (nothing fired, or the target never opened it).
std::vector<JournalEntry> read_journal(const std::string& path);

}  // namespace harness
