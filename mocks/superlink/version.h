// The mock's version and the Flower SuperLink interface it imitates.
#pragma once

namespace superlink {
inline constexpr const char* kVersion = "0.1.0";
inline constexpr const char* kFlowerInterface = "1.18";
}  // namespace superlink
