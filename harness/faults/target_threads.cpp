#include "target_threads.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "process_table.h"

namespace harness {
namespace {

namespace fs = std::filesystem;

std::string first_line(const std::string& path) {
  std::ifstream file(path);
  std::string line;
  std::getline(file, line);
  return line;
}

std::vector<int> numbered_entries(const std::string& folder) {
  std::vector<int> numbers;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(folder, error)) {
    const std::string name = entry.path().filename().string();
    if (!name.empty() && std::all_of(name.begin(), name.end(), ::isdigit)) {
      numbers.push_back(std::atoi(name.c_str()));
    }
  }
  std::sort(numbers.begin(), numbers.end());
  return numbers;
}

std::string link_of(pid_t pid, int fd) {
  std::error_code error;
  return fs::read_symlink("/proc/" + std::to_string(pid) + "/fd/" + std::to_string(fd), error)
      .string();
}

// The inodes of the sockets /proc/PID/net/tcp{,6} lists as listening (state 0A) on `port`.
std::vector<std::string> listening_inodes(pid_t pid, int port) {
  std::vector<std::string> inodes;
  for (const char* table : {"tcp", "tcp6"}) {
    std::ifstream file("/proc/" + std::to_string(pid) + "/net/" + table);
    std::string line;
    std::getline(file, line);  // the header
    while (std::getline(file, line)) {
      std::istringstream fields(line);
      std::string slot, local, remote, state, queues, timer, retransmits, uid, timeout, inode;
      fields >> slot >> local >> remote >> state >> queues >> timer >> retransmits >> uid >>
          timeout >> inode;
      const std::size_t colon = local.rfind(':');
      if (state != "0A" || colon == std::string::npos) continue;
      if (std::strtol(local.c_str() + colon + 1, nullptr, 16) == port) inodes.push_back(inode);
    }
  }
  return inodes;
}

}  // namespace

std::vector<pid_t> run_processes(pid_t target) {
  std::vector<pid_t> pids{target};
  for (const ProcessEntry& entry : descendants(process_table(), target)) pids.push_back(entry.pid);
  return pids;
}

std::vector<TargetThread> threads_of(pid_t pid) {
  std::vector<TargetThread> threads;
  const std::string task = "/proc/" + std::to_string(pid) + "/task";
  for (int tid : numbered_entries(task)) {
    threads.push_back({pid, tid, first_line(task + "/" + std::to_string(tid) + "/comm")});
  }
  return threads;
}

int listening_descriptor(pid_t pid, int port) {
  const std::vector<std::string> inodes = listening_inodes(pid, port);
  if (inodes.empty()) return -1;
  for (int fd : numbered_entries("/proc/" + std::to_string(pid) + "/fd")) {
    const std::string link = link_of(pid, fd);
    for (const std::string& inode : inodes) {
      if (link == "socket:[" + inode + "]") return fd;
    }
  }
  return -1;
}

std::vector<int> epoll_descriptors_watching(pid_t pid, int fd) {
  std::vector<int> watching;
  const std::string proc = "/proc/" + std::to_string(pid);
  for (int candidate : numbered_entries(proc + "/fd")) {
    if (link_of(pid, candidate) != "anon_inode:[eventpoll]") continue;
    std::ifstream info(proc + "/fdinfo/" + std::to_string(candidate));
    std::string word;
    while (info >> word) {
      if (word != "tfd:") continue;
      int watched = -1;
      if (info >> watched && watched == fd) {
        watching.push_back(candidate);
        break;
      }
    }
  }
  return watching;
}

bool holds_open(pid_t pid, const std::string& path) {
  std::error_code error;
  const fs::path wanted = fs::weakly_canonical(path, error);
  for (int fd : numbered_entries("/proc/" + std::to_string(pid) + "/fd")) {
    const std::string link = link_of(pid, fd);
    if (link == path || link == wanted.string()) return true;
  }
  return false;
}

}  // namespace harness
