// One function per subcommand; each returns the process exit status.
#pragma once

#include "cli/base/backend.h"
#include "cli/base/command_io.h"
#include "cli/base/request.h"

namespace harness::cli {

int run_command(const Request& request, const Backend& backend, const Environment& env,
                Streams streams);
int repro_command(const Request& request, const Backend& backend, Streams streams);
int list_command(const Request& request, const Backend& backend, Streams streams);
int check_command(const Request& request, const Backend& backend, Streams streams);
int coverage_command(const Request& request, const Backend& backend, Streams streams);

}  // namespace harness::cli
