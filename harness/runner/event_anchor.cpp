#include "event_anchor.h"

#include <charconv>
#include <cstdint>
#include <system_error>

namespace harness::internal {

bool parse_at(std::string_view text, Event& event) {
  const auto plus = text.find('+');
  const std::string_view anchor = text.substr(0, plus);
  constexpr std::string_view kFired = "fired:";
  if (anchor == "spawn") {
    event.at = Event::Anchor::Spawn;
  } else if (anchor == "start") {
    event.at = Event::Anchor::Start;
  } else if (anchor == "ready") {
    event.at = Event::Anchor::Ready;
  } else if (anchor.size() > kFired.size() && anchor.substr(0, kFired.size()) == kFired) {
    event.at = Event::Anchor::Fired;
    event.fired_site = std::string(anchor.substr(kFired.size()));
  } else {
    return false;
  }
  event.delay = Millis{0};
  if (plus == std::string_view::npos) return true;
  std::string_view delay = text.substr(plus + 1);
  std::int64_t scale = 0;
  if (delay.size() > 2 && delay.substr(delay.size() - 2) == "ms") {
    scale = 1;
    delay.remove_suffix(2);
  } else if (delay.size() > 1 && delay.back() == 's') {
    scale = 1000;
    delay.remove_suffix(1);
  } else {
    return false;
  }
  std::int64_t amount = 0;
  const auto* end = delay.data() + delay.size();
  auto [ptr, ec] = std::from_chars(delay.data(), end, amount);
  if (ec != std::errc{} || ptr != end || amount > 86'400'000 / scale) return false;
  event.delay = Millis{amount * scale};
  return true;
}

}  // namespace harness::internal
