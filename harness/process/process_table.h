// The processes /proc shows, read one way for everyone: the run init (what a run left behind),
// the harness's tests (what a test left behind). No dependencies beyond libstdc++.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace harness {

struct ProcessEntry {
  pid_t pid = 0;  // as the /proc mount numbers it (the host's pid namespace here)
  pid_t ppid = 0;
  pid_t pgrp = 0;
  char state = '?';  // 'Z' zombie, 'R', 'S', 'D', ...
  std::string comm;
};

// /proc/<pid>/stat; nullopt once the process is gone.
std::optional<ProcessEntry> read_process(pid_t pid);

// Every process, in /proc's order.
std::vector<ProcessEntry> process_table();

// Every process below `root` in `table` (children, their children, ...), root excluded.
std::vector<ProcessEntry> descendants(const std::vector<ProcessEntry>& table, pid_t root);

// Whether /proc/<pid>/environ holds the entry `name_equals_value` ("MARKER=abc").
bool has_environment_entry(pid_t pid, std::string_view name_equals_value);

// "pid 123 (sleep)": how reports name a process.
std::string describe(const ProcessEntry& entry);

}  // namespace harness
