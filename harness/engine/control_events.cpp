#include "control_events.h"

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>

namespace harness {

namespace {

using Kind = FailpointControl::Kind;
using Clock = std::chrono::steady_clock;

std::string plural(std::int64_t count, const char* word) {
  return std::to_string(count) + " " + word + (count == 1 ? "" : "s");
}

// The endpoint's {"error": "..."}, else the body as it came.
std::string error_of(const HttpResponse& response) {
  const auto json = nlohmann::json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  if (json.is_object() && json.contains("error") && json["error"].is_string()) {
    return json["error"].get<std::string>();
  }
  return response.body;
}

}  // namespace

ControlResult perform_control(const FailpointControl& control,
                              const std::map<std::string, std::string>& addresses,
                              const HttpBounds& bounds, EventOutcome& outcome) {
  const auto address = addresses.find(kFailpointControlAddress);
  if (address == addresses.end()) {
    outcome.error =
        "no failpoint_control_address in the ready file (the target serves no "
        "failpoint control endpoint)";
    return ControlResult::Refused;
  }
  HttpRequest request;
  request.address = address->second;
  request.path = "/failpoints/" + control.site;
  // The server's wait ends before the run's deadline does, so a timeout is its answer (408).
  const auto left = std::chrono::duration_cast<Millis>(bounds.deadline - Clock::now());
  const Millis wait = std::clamp(control.timeout, Millis{0}, std::max(Millis{0}, left));
  switch (control.kind) {
    case Kind::Arm:
      request.method = "PUT";
      request.body = control.actions;
      break;
    case Kind::Disarm:
      request.method = "DELETE";
      break;
    case Kind::WaitPaused:
      request.method = "GET";
      request.path += "/paused?timeout_ms=" + std::to_string(wait.count());
      break;
    case Kind::Resume:
      request.method = "POST";
      request.path += "/resume";
      break;
  }
  const Clock::time_point sent = Clock::now();
  const HttpResponse response = send_http(request, bounds);
  const auto took = std::chrono::duration_cast<Millis>(Clock::now() - sent);
  if (!response.status) {
    outcome.error = response.error;
    return ControlResult::NoAnswer;
  }
  if (control.kind == Kind::WaitPaused && *response.status == 408) {
    outcome.error = "wait_paused: no thread paused at '" + control.site + "' within " +
                    std::to_string(wait.count()) + " ms";
    return ControlResult::Refused;
  }
  if (*response.status != 200) {
    outcome.error = describe_control(control) + ": HTTP " + std::to_string(*response.status) + " " +
                    error_of(response);
    return ControlResult::Refused;
  }
  switch (control.kind) {
    case Kind::Arm:
      outcome.did = "armed " + control.site + "=" + control.actions;
      break;
    case Kind::Disarm:
      outcome.did = "disarmed " + control.site;
      break;
    case Kind::WaitPaused:
      outcome.did = "paused after " + std::to_string(took.count()) + " ms";
      break;
    case Kind::Resume: {
      const auto json = nlohmann::json::parse(response.body, nullptr, false);
      const bool counted =
          json.is_object() && json.contains("resumed") && json["resumed"].is_number_integer();
      if (counted && json["resumed"].get<std::int64_t>() == 0) {
        // Nothing was parked there: the scenario's premise (a paused thread) did not hold.
        outcome.error =
            "resume: no thread was paused at '" + control.site + "' (resumed 0 threads)";
        return ControlResult::Refused;
      }
      outcome.did =
          counted ? "resumed " + plural(json["resumed"].get<std::int64_t>(), "thread") : "resumed";
      break;
    }
  }
  return ControlResult::Done;
}

}  // namespace harness
