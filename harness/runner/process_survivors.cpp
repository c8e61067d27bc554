#include "process_survivors.h"

#include <dirent.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace harness {

std::vector<std::string> process_survivors(const std::set<pid_t>& groups) {
  std::vector<std::string> found;
  const pid_t self = ::getpid();
  DIR* dir = ::opendir("/proc");
  if (dir == nullptr) return {"cannot read /proc"};
  while (const dirent* item = ::readdir(dir)) {
    char* end = nullptr;
    const long pid = std::strtol(item->d_name, &end, 10);
    if (pid <= 0 || *end != '\0') continue;
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string stat;
    if (!std::getline(in, stat)) continue;
    const std::size_t open = stat.find('(');
    const std::size_t close = stat.rfind(')');
    if (open == std::string::npos || close == std::string::npos) continue;
    std::istringstream rest(stat.substr(close + 1));
    char state = '?';
    pid_t ppid = 0;
    pid_t pgrp = 0;
    rest >> state >> ppid >> pgrp;
    if (ppid == self || groups.contains(pgrp)) {
      found.push_back("pid " + std::to_string(pid) + " (" +
                      stat.substr(open + 1, close - open - 1) + ")");
    }
  }
  ::closedir(dir);
  return found;
}

}  // namespace harness
