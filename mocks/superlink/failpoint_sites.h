// Every failpoint site of the mock SuperLink, with one line on where it is.
#pragma once

#include <vector>

#include "failpoint/failpoint.h"

namespace superlink {

const std::vector<failpoint::SiteInfo>& superlink_sites();

}  // namespace superlink
