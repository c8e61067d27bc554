// superlink-harness as a library: the whole program behind a thin main, so tests call it with an
// argv and captured streams.
#pragma once

#include <ostream>

#include "cli/base/backend.h"
#include "cli/base/command_io.h"  // the exit statuses

namespace harness::cli {

int run_cli(int argc, const char* const* argv, std::ostream& out, std::ostream& err,
            const Backend& backend, const Environment& env);

}  // namespace harness::cli
