#include "superlink/app/ready_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <system_error>

#include "unique_fd.h"

namespace superlink {

std::string ready_json(const ReadyInfo& info) {
  nlohmann::ordered_json json;  // keys in the documented order
  json["pid"] = info.pid;
  json["fleet_api_type"] = info.fleet_api_type;
  json["fleet_api_address"] = info.fleet_api_address;
  json["serverappio_api_address"] = info.serverappio_api_address;
  json["exec_api_address"] = info.exec_api_address;
  json["critical_threads"] = info.critical_threads;
  if (!info.failpoint_control_address.empty()) {
    json["failpoint_control_address"] = info.failpoint_control_address;
  }
  return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

void write_ready_file(const std::string& path, const ReadyInfo& info) {
  const std::string temp = path + ".tmp." + std::to_string(::getpid());
  harness::UniqueFd fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (!fd) throw std::system_error(errno, std::generic_category(), "ready file " + temp);
  const std::string json = ready_json(info);
  const ssize_t written = ::write(fd.get(), json.data(), json.size());
  const int write_error = errno;
  fd.reset();
  if (written != static_cast<ssize_t>(json.size())) {
    ::unlink(temp.c_str());
    throw std::system_error(write_error, std::generic_category(), "ready file " + temp);
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    const int error = errno;
    ::unlink(temp.c_str());
    throw std::system_error(error, std::generic_category(), "ready file " + path);
  }
}

}  // namespace superlink
