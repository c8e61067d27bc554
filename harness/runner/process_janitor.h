// The folder that holds this harness's run folders: $TMPDIR/superlink-harness-XXXXXX, created by
// a janitor process (superlink-run-init --janitor) that removes it, whatever is in it, once the
// harness has ended by any path, SIGKILL included. A run folder is thus never outside a folder
// that something outside the harness will remove.
#pragma once

#include <string>

namespace harness {

// Starts the janitor on the first call. Throws std::runtime_error when it cannot.
const std::string& run_folders_parent();

}  // namespace harness
