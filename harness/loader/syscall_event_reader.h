// The `syscall = { ... }` of an [[events]] entry: a system-call fault for a thread of the target
// (docs/scenario-format.md, "System-call faults"). Every name is checked when the file loads:
// an unknown call, errno or thread role is an error at its position, with the nearest name.
#pragma once

#include <toml++/toml.h>

#include <string>

#include "harness/scenario.h"
#include "scenario_toml_reader.h"

namespace harness::internal {

// Reads `node` (the value of `syscall`); `name` is how messages name it ("events[2].syscall").
SyscallFault read_syscall(const Reader& reader, const toml::node& node, const std::string& name);

}  // namespace harness::internal
