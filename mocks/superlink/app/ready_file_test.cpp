#include "superlink/app/ready_file.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace superlink {
namespace {

ReadyInfo sample() {
  return {42, "rest", "127.0.0.1:5", "127.0.0.1:6", "127.0.0.1:7", {"scheduler", "rest"}, ""};
}

TEST(ReadyFile, JsonCarriesEveryField) {
  EXPECT_EQ(ready_json(sample()),
            "{\"pid\":42,\"fleet_api_type\":\"rest\",\"fleet_api_address\":\"127.0.0.1:5\","
            "\"serverappio_api_address\":\"127.0.0.1:6\",\"exec_api_address\":\"127.0.0.1:7\","
            "\"critical_threads\":[\"scheduler\",\"rest\"]}\n");
}

TEST(ReadyFile, ControlAddressIsWrittenOnlyWhenTheEndpointRuns) {
  ReadyInfo info = sample();
  info.failpoint_control_address = "127.0.0.1:8";
  EXPECT_EQ(ready_json(info),
            "{\"pid\":42,\"fleet_api_type\":\"rest\",\"fleet_api_address\":\"127.0.0.1:5\","
            "\"serverappio_api_address\":\"127.0.0.1:6\",\"exec_api_address\":\"127.0.0.1:7\","
            "\"critical_threads\":[\"scheduler\",\"rest\"],"
            "\"failpoint_control_address\":\"127.0.0.1:8\"}\n");
}

TEST(ReadyFile, WrittenWholeAndNoTemporaryLeft) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("ready_file_test." + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto path = dir / "ready.json";
  write_ready_file(path.string(), sample());
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), ready_json(sample()));
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir), {}), 1);
  std::filesystem::remove_all(dir);
}

TEST(ReadyFile, UnwritableDirectoryNamesThePath) {
  try {
    write_ready_file("/nonexistent-dir/ready.json", sample());
    FAIL() << "no error";
  } catch (const std::system_error& e) {
    EXPECT_THAT(std::string(e.what()), ::testing::HasSubstr("/nonexistent-dir/ready.json.tmp."))
        << e.what();
  }
}

}  // namespace
}  // namespace superlink
