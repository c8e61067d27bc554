// Which binary runs a scenario, from --target and --target-kind: the one given runs the
// scenarios of its kind; the other kind's scenarios keep the bundled binary (or, for kind mock
// under --target-kind flower, are skipped: skip_reasons.h).
#pragma once

#include <string>

#include "cli/base/request.h"
#include "harness/run.h"

namespace harness::cli {

// RunOptions with the mock and flower binaries and `{target}`'s kind set from the request.
RunOptions target_run_options(const Request& request);

// The binary a kind mock or flower scenario runs (never empty).
std::string target_binary(const Request& request, TargetKind kind);

}  // namespace harness::cli
