// superlink-harness as a library: the whole program behind a thin main, so tests call it with an
// argv and captured streams.
#pragma once

#include <ostream>

#include "backend.h"

namespace harness::cli {

// Exit statuses: 0 every scenario passed; 1 one failed; 2 usage, file or harness error.
inline constexpr int kExitPass = 0;
inline constexpr int kExitFail = 1;
inline constexpr int kExitError = 2;

int run_cli(int argc, const char* const* argv, std::ostream& out, std::ostream& err,
            const Backend& backend, const Environment& env);

}  // namespace harness::cli
