// Reading scenario files (TOML, documented in docs/scenario-format.md) into harness::Scenario.
// Every mistake in a file is reported as FILE:LINE:COL: message, naming the key at fault.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "harness/scenario.h"

namespace harness {

class ScenarioError : public std::runtime_error {
 public:
  // what(): "FILE:LINE:COL: message", or "FILE: message" when there is no position (line 0).
  ScenarioError(std::string file, std::size_t line, std::size_t column, std::string message);
  const std::string& file() const { return file_; }
  std::size_t line() const { return line_; }
  std::size_t column() const { return column_; }
  const std::string& message() const { return message_; }

 private:
  std::string file_;
  std::size_t line_;
  std::size_t column_;
  std::string message_;
};

// The largest scenario file read; a bigger one is refused unread.
inline constexpr std::size_t kMaxScenarioBytes = 1024 * 1024;

// name = the file's stem, group = the name of the folder holding it. Throws ScenarioError, also
// when the file cannot be read, is not a regular file (a FIFO, a device, a folder) or is larger
// than kMaxScenarioBytes.
Scenario load_scenario(const std::filesystem::path& file);

// The same from text; `file_name` is used for positions, name and group.
Scenario load_scenario_text(std::string_view toml, std::string_view file_name);

// Scenario files under `paths`: files as given, folders searched recursively for *.toml. Sorted,
// without duplicates. Throws ScenarioError for a path that does not exist.
std::vector<std::filesystem::path> find_scenarios(const std::vector<std::filesystem::path>& paths);

}  // namespace harness
