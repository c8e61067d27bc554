// The mock's version; the Flower SuperLink interface it imitates by default (--version prints the
// active profile's, see version_profile.h).
#pragma once

namespace superlink {
inline constexpr const char* kVersion = "0.1.0";
inline constexpr const char* kFlowerInterface = "1.18";
}  // namespace superlink
