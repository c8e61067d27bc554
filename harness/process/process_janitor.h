// The folder that holds this harness's run folders: $TMPDIR/superlink-harness-XXXXXX, created by
// a janitor process (superlink-run-init --janitor) that removes it, whatever is in it, once the
// harness has ended by any path, SIGKILL included. A run folder is thus never outside a folder
// that something outside the harness will remove.
#pragma once

#include <string>

namespace harness {

// Starts the janitor on the first call. Throws std::runtime_error when it cannot.
const std::string& run_folders_parent();

// Removes `folder`, a run folder made in run_folders_parent() that the caller is done with: the
// janitor removes it while the caller goes on (here, when there is no janitor to ask).
void remove_run_folder(const std::string& folder);

// Starts the janitor without waiting for its folder, so its start-up overlaps what the caller
// does before the first run (run_folders_parent() then waits, if at all, only for the rest).
void start_run_folders_parent();

}  // namespace harness
