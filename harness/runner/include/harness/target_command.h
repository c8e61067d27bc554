// Where the bundled mock is looked for when RunOptions::mock_binary is empty.
#pragma once

#include <string>

namespace harness {

// <directory of the running executable>/mock-superlink: the default RunOptions::mock_binary.
std::string default_mock_binary();

}  // namespace harness
