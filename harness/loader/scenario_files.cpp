// Scenario files on disk: reading one (regular files only, bounded in size) and finding them
// under folders.
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "harness/scenario_loader.h"

namespace harness {

namespace {

const char* kind_of(const std::filesystem::file_status& status) {
  namespace fs = std::filesystem;
  switch (status.type()) {
    case fs::file_type::directory:
      return "a folder";
    case fs::file_type::fifo:
      return "a FIFO";
    case fs::file_type::character:
      return "a character device";
    case fs::file_type::block:
      return "a block device";
    case fs::file_type::socket:
      return "a socket";
    default:
      return "not a regular file";
  }
}

}  // namespace

Scenario load_scenario(const std::filesystem::path& file) {
  namespace fs = std::filesystem;
  const std::string name = file.string();
  std::error_code error;
  const fs::file_status status = fs::status(file, error);
  if (error) throw ScenarioError(name, 0, 0, "cannot read: " + error.message());
  // Opening a FIFO would block and a device may never end: only regular files are read.
  if (!fs::is_regular_file(status)) {
    throw ScenarioError(
        name, 0, 0,
        std::string("cannot read: ") + kind_of(status) + ", not a regular scenario file");
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) throw ScenarioError(name, 0, 0, "cannot read: " + std::string(strerror(errno)));
  // Read at most one byte over the limit (a file that grows while read is still caught), in
  // pieces: a buffer of the whole limit would be cleared, page by page, for every file.
  std::string text;
  char piece[16 * 1024];
  while (text.size() <= kMaxScenarioBytes) {
    in.read(piece, static_cast<std::streamsize>(
                       std::min(sizeof piece, kMaxScenarioBytes + 1 - text.size())));
    text.append(piece, static_cast<std::size_t>(in.gcount()));
    if (!in) break;  // the end of the file
  }
  if (text.size() > kMaxScenarioBytes) {
    throw ScenarioError(name, 0, 0,
                        "larger than " + std::to_string(kMaxScenarioBytes / 1024) +
                            " KiB, the most a scenario file may hold");
  }
  return load_scenario_text(text, name);
}

std::vector<std::filesystem::path> find_scenarios(const std::vector<std::filesystem::path>& paths) {
  namespace fs = std::filesystem;
  std::set<fs::path> found;
  for (const fs::path& path : paths) {
    std::error_code error;
    const fs::file_status status = fs::status(path, error);
    if (!fs::exists(status)) throw ScenarioError(path.string(), 0, 0, "no such file or folder");
    if (!fs::is_directory(status)) {
      found.insert(path);
      continue;
    }
    for (const fs::directory_entry& entry : fs::recursive_directory_iterator(path)) {
      // Anything else named *.toml (a FIFO, a device) is kept so that loading it says why not.
      if (!entry.is_directory() && entry.path().extension() == ".toml") {
        found.insert(entry.path());
      }
    }
  }
  return {found.begin(), found.end()};
}

}  // namespace harness
