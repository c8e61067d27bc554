// The Backend made of the runner library's own functions: what the executable uses.
#pragma once

#include "cli/base/backend.h"

namespace harness::cli {

Backend real_backend();
Environment process_environment();

}  // namespace harness::cli
