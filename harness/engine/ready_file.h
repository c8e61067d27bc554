// The target's ready file: JSON written by rename once every listener is bound. Accepted forms
// for the bound addresses (both may appear):
//   {"pid": 42, "fleet_api_address": "127.0.0.1:9095", "serverappio_api_address": "...", ...}
//   {"pid": 42, "addresses": {"fleet": "127.0.0.1:9095", "exec": "..."}, ...}
// Either way RunResult::addresses gets "fleet" -> "127.0.0.1:9095" and so on; a top-level
// "failpoint_control_address" (the mock's --failpoint-control) becomes "failpoint_control".
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace harness {

// The addresses in a ready file's text; nullopt when the text is not a JSON object.
std::optional<std::map<std::string, std::string>> parse_ready_file(std::string_view text);

// Reads and parses `path`; nullopt when it is missing or not (yet) a JSON object.
std::optional<std::map<std::string, std::string>> read_ready_file(const std::string& path);

}  // namespace harness
