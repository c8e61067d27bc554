// Where the bundled mock and its persona are looked for when RunOptions leaves them empty.
#pragma once

#include <string>

namespace harness {

// <directory of the running executable>/mock-superlink: the default RunOptions::mock_binary.
std::string default_mock_binary();

// The mock's `flower-superlink` persona: beside the running executable (a build tree), else in
// ../libexec/superlink-harness/flower/ (an install). The default RunOptions::flower_binary.
std::string default_flower_binary();

}  // namespace harness
