// What every command of superlink-harness is given besides its request, and what it returns: the
// output streams and the exit statuses.
#pragma once

#include <ostream>

namespace harness::cli {

// Exit statuses: 0 every scenario passed; 1 one failed; 2 usage, file or harness error.
inline constexpr int kExitPass = 0;
inline constexpr int kExitFail = 1;
inline constexpr int kExitError = 2;

struct Streams {
  std::ostream& out;
  std::ostream& err;
  bool color = false;  // resolved from --color, the terminal and NO_COLOR
};

}  // namespace harness::cli
