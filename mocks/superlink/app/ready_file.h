// The ready file: JSON written once every listener is bound and every critical thread runs,
// atomically (a temporary file in the same directory, then rename), so a reader never sees
// half of it.
#pragma once

#include <string>
#include <vector>

namespace superlink {

struct ReadyInfo {
  int pid = 0;
  std::string fleet_api_type;
  std::string fleet_api_address;
  std::string serverappio_api_address;
  std::string exec_api_address;
  std::vector<std::string> critical_threads;
  std::string failpoint_control_address;  // written only when the control endpoint runs
};

// {"pid":1,"fleet_api_type":"rest","fleet_api_address":"127.0.0.1:5","serverappio_api_address":
//  "...","exec_api_address":"...","critical_threads":["scheduler","rest"]}, then
//  ,"failpoint_control_address":"127.0.0.1:7" before the "}" when the endpoint runs
std::string ready_json(const ReadyInfo& info);

// Throws std::system_error naming the path.
void write_ready_file(const std::string& path, const ReadyInfo& info);

}  // namespace superlink
