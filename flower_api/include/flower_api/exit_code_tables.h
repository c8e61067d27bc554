// The exit codes and help texts each imitated release prints (ExitCodeInfo rows), one table per
// version; version_profile.cpp points each profile at its own.
#pragma once

#include <array>

#include "flower_api/exit_codes.h"

namespace superlink {

extern const std::array<ExitCodeInfo, 9> kExitCodes_1_18;
extern const std::array<ExitCodeInfo, 24> kExitCodes_1_26;

}  // namespace superlink
