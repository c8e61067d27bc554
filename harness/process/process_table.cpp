#include "process_table.h"

#include <dirent.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <sstream>

namespace harness {

std::optional<ProcessEntry> read_process(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat;
  if (!std::getline(in, stat)) return std::nullopt;
  // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses.
  const std::size_t open = stat.find('(');
  const std::size_t close = stat.rfind(')');
  if (open == std::string::npos || close == std::string::npos || close < open) {
    return std::nullopt;
  }
  ProcessEntry entry;
  entry.pid = pid;
  entry.comm = stat.substr(open + 1, close - open - 1);
  std::istringstream rest(stat.substr(close + 1));
  rest >> entry.state >> entry.ppid >> entry.pgrp;
  if (!rest) return std::nullopt;
  return entry;
}

std::vector<ProcessEntry> process_table() {
  std::vector<ProcessEntry> entries;
  DIR* dir = ::opendir("/proc");
  if (dir == nullptr) return entries;
  while (const dirent* item = ::readdir(dir)) {
    char* end = nullptr;
    const long pid = std::strtol(item->d_name, &end, 10);
    if (pid <= 0 || *end != '\0') continue;
    if (auto entry = read_process(static_cast<pid_t>(pid))) entries.push_back(std::move(*entry));
  }
  ::closedir(dir);
  return entries;
}

std::vector<ProcessEntry> descendants(const std::vector<ProcessEntry>& table, pid_t root) {
  std::vector<ProcessEntry> found;
  std::vector<pid_t> parents{root};
  while (!parents.empty()) {
    const pid_t parent = parents.back();
    parents.pop_back();
    for (const ProcessEntry& entry : table) {
      if (entry.ppid != parent || entry.pid == root) continue;
      found.push_back(entry);
      parents.push_back(entry.pid);
    }
  }
  return found;
}

bool has_environment_entry(pid_t pid, std::string_view name_equals_value) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/environ", std::ios::binary);
  for (std::string entry; std::getline(in, entry, '\0');) {
    if (entry == name_equals_value) return true;
  }
  return false;
}

std::string describe(const ProcessEntry& entry) {
  return "pid " + std::to_string(entry.pid) + " (" + entry.comm + ")";
}

}  // namespace harness
