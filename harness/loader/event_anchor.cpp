#include "event_anchor.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <system_error>

namespace harness::internal {

namespace {

// The delay of a `line:REGEX+<N>ms` anchor is its last "+<digits>ms" or "+<digits>s": a '+'
// inside the regex ("a+b") is the regex's.
std::size_t line_delay_start(std::string_view text) {
  const auto plus = text.rfind('+');
  if (plus == std::string_view::npos) return plus;
  std::string_view tail = text.substr(plus + 1);
  if (tail.size() > 2 && tail.substr(tail.size() - 2) == "ms") {
    tail.remove_suffix(2);
  } else if (tail.size() > 1 && tail.back() == 's') {
    tail.remove_suffix(1);
  } else {
    return std::string_view::npos;
  }
  const bool digits = !tail.empty() && std::all_of(tail.begin(), tail.end(),
                                                   [](char c) { return c >= '0' && c <= '9'; });
  return digits ? plus : std::string_view::npos;
}

}  // namespace

bool parse_at(std::string_view text, Event& event) {
  constexpr std::string_view kLine = "line:";
  const bool line = text.substr(0, kLine.size()) == kLine;
  const auto plus = line ? line_delay_start(text) : text.find('+');
  const std::string_view anchor = text.substr(0, plus);
  constexpr std::string_view kFired = "fired:";
  if (line) {
    if (anchor.size() == kLine.size()) return false;
    event.at = Event::Anchor::Line;
    event.line_pattern = std::string(anchor.substr(kLine.size()));
  } else if (anchor == "spawn") {
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
