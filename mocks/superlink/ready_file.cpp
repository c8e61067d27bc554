#include "superlink/ready_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <system_error>

#include "failpoint/json_string.h"

namespace superlink {
namespace {

std::string quoted(const std::string& text) {
  std::string out;
  failpoint::append_json_string(out, text);
  return out;
}

}  // namespace

std::string ready_json(const ReadyInfo& info) {
  std::string json = "{\"pid\":" + std::to_string(info.pid);
  json += ",\"fleet_api_type\":" + quoted(info.fleet_api_type);
  json += ",\"fleet_api_address\":" + quoted(info.fleet_api_address);
  json += ",\"serverappio_api_address\":" + quoted(info.serverappio_api_address);
  json += ",\"exec_api_address\":" + quoted(info.exec_api_address);
  json += ",\"critical_threads\":[";
  for (std::size_t i = 0; i < info.critical_threads.size(); ++i) {
    json += (i ? "," : "") + quoted(info.critical_threads[i]);
  }
  json += "]";
  if (!info.failpoint_control_address.empty()) {
    json += ",\"failpoint_control_address\":" + quoted(info.failpoint_control_address);
  }
  return json + "}\n";
}

void write_ready_file(const std::string& path, const ReadyInfo& info) {
  const std::string temp = path + ".tmp." + std::to_string(::getpid());
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw std::system_error(errno, std::generic_category(), "ready file " + temp);
  const std::string json = ready_json(info);
  const ssize_t written = ::write(fd, json.data(), json.size());
  const int write_error = errno;
  ::close(fd);
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
