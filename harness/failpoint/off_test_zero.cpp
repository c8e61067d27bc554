// Part of failpoint_off_test: a site compiled with FAILPOINTS_ENABLED=0, as the `failpoint`
// target gives it when the CMake option SUPERLINK_FAILPOINTS is OFF.
#define FAILPOINTS_ENABLED 0
#include "failpoint/failpoint.h"

std::optional<std::string> SiteBuiltWithZero() {
  return FAILPOINT("y");
}
