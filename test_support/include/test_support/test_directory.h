// A fresh folder per test under the temp directory (ready files, journals, databases), removed
// with everything in it when the test ends.
#pragma once

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <string>
#include <string_view>

namespace superlink::test_support {

class TestDirectory {
 public:
  // `<tmp>/<prefix>.<pid>.<n>`: unique per process and per fixture, whatever the test's name.
  explicit TestDirectory(std::string_view prefix) {
    static std::atomic<int> made{0};
    path_ = std::filesystem::temp_directory_path() /
            (std::string(prefix) + "." + std::to_string(::getpid()) + "." +
             std::to_string(made.fetch_add(1)));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TestDirectory() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TestDirectory(const TestDirectory&) = delete;
  TestDirectory& operator=(const TestDirectory&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(std::string_view name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

}  // namespace superlink::test_support
