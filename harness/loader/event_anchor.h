// The `at` of an event: "spawn", "start", "ready", "fired:SITE" or "line:REGEX", optionally
// +<N>ms or +<N>s.
#pragma once

#include <string_view>

#include "harness/scenario.h"

namespace harness::internal {

// Sets event.at, event.fired_site and event.delay from `text`; false when it is not of that
// form or the delay is over a day.
bool parse_at(std::string_view text, Event& event);

}  // namespace harness::internal
