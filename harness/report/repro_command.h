// The command line that reruns a target by hand, exactly as the harness spawned it.
#pragma once

#include <string>
#include <string_view>

#include "harness/run_result.h"

namespace harness {

// `NAME='value' ... argv...`, shell-quoted, from RunResult::env and RunResult::argv. The ready
// file and fault journal, which the harness put in a temporary directory that is gone after the
// run, are pointed at ./ready.json and ./fault-journal.jsonl so the line runs from any folder
// (flags --ready-file/--fault-journal; variables SUPERLINK_READY_FILE/SUPERLINK_FAULT_JOURNAL).
std::string repro_command(const RunResult& result);

}  // namespace harness
