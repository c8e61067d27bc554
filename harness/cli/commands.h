// One function per subcommand; each returns the process exit status.
#pragma once

#include <ostream>

#include "backend.h"
#include "request.h"

namespace harness::cli {

struct Streams {
  std::ostream& out;
  std::ostream& err;
  bool color = false;  // resolved from --color, the terminal and NO_COLOR
};

int run_command(const Request& request, const Backend& backend, const Environment& env,
                Streams streams);
int repro_command(const Request& request, const Backend& backend, Streams streams);
int list_command(const Request& request, const Backend& backend, Streams streams);
int check_command(const Request& request, const Backend& backend, Streams streams);
int coverage_command(const Request& request, const Backend& backend, Streams streams);

}  // namespace harness::cli
