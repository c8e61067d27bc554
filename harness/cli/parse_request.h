// The command line (CLI11) into a Request.
#pragma once

#include <optional>
#include <ostream>

#include "cli/base/request.h"

namespace harness::cli {

// A Request, or the exit status when parsing ended the program: 0 after --help, 2 after a usage
// error (printed to `err` as "superlink-harness: <what>" plus a hint).
struct ParsedRequest {
  std::optional<Request> request;
  int exit_status = 0;
};

ParsedRequest parse_request(int argc, const char* const* argv, std::ostream& out,
                            std::ostream& err);

}  // namespace harness::cli
