#include "ready_file_writer.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>

namespace targets {

bool write_ready_file(const std::string& json) {
  const char* path = std::getenv("SUPERLINK_READY_FILE");
  if (path == nullptr) return false;
  const std::string temp = std::string(path) + ".tmp";
  {
    std::ofstream out(temp, std::ios::trunc);
    out << json;
    if (!out.flush()) return false;
  }
  return std::rename(temp.c_str(), path) == 0;
}

}  // namespace targets
