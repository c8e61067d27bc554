// The schema of the failpoint control events (`arm`, `disarm`, `wait_paused`, `resume`): the
// part of read_event that is theirs, kept apart so the loader only dispatches to it.
#pragma once

#include <toml++/toml.h>

#include <array>
#include <span>
#include <string>
#include <string_view>

#include "harness/scenario.h"
#include "scenario_toml_reader.h"

namespace harness::internal {

// The keys of an [[events]] entry, each written once here.

// What an entry does: exactly one of these keys. The last four make a failpoint control event.
inline constexpr std::array<std::string_view, 12> kEventActionKeys = {
    "request", "grpc",    "signal", "database", "occupy",      "release",
    "run",     "syscall", "arm",    "disarm",   "wait_paused", "resume"};
inline constexpr std::span<const std::string_view> kControlActionKeys{kEventActionKeys.end() - 4,
                                                                      kEventActionKeys.end()};

// The details of a request, of a request or a gRPC call (their answers), of a gRPC call.
inline constexpr std::array<std::string_view, 4> kRequestKeys = {"method", "headers", "body",
                                                                 "expect_status"};
inline constexpr std::array<std::string_view, 2> kAnswerKeys = {"expect_body", "background"};
inline constexpr std::array<std::string_view, 3> kGrpcKeys = {"message", "sign", "expect_code"};

// Every key, in the order the "unknown key" message lists them: the anchor, what the entry does
// (grpc aside), a control's timeout, the count, a request's details, then the gRPC call's.
inline constexpr auto kEventKeys = [] {
  std::array<std::string_view, 3 + kEventActionKeys.size() + kRequestKeys.size() +
                                   kAnswerKeys.size() + kGrpcKeys.size()>
      keys{};
  std::size_t n = 0;
  keys[n++] = "at";
  for (std::string_view key : kEventActionKeys) {
    if (key != "grpc") keys[n++] = key;
  }
  keys[n++] = "timeout_ms";
  keys[n++] = "count";
  for (std::string_view key : kRequestKeys) keys[n++] = key;
  for (std::string_view key : kAnswerKeys) keys[n++] = key;
  keys[n++] = "grpc";
  for (std::string_view key : kGrpcKeys) keys[n++] = key;
  return keys;
}();

// Reads the control of an entry that has `arm`, `disarm`, `wait_paused` or `resume` (and
// `timeout_ms`); `prefix` is how messages name the entry ("events[2]").
FailpointControl read_control(const Reader& reader, const toml::table& table,
                              const std::string& prefix, const TargetSpec& target);

// Once every event is read: `disarm`, `wait_paused` and `resume` must name a site the scenario
// arms, or they wait for or undo something that cannot happen. Left to the run-time check in a
// negative scenario, and not checked for a custom `command`, which may arm its own sites.
void check_controlled_sites(const Reader& reader, const toml::array& events,
                            const Scenario& scenario);

}  // namespace harness::internal
