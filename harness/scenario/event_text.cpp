#include "event_text.h"

#include <cstdio>

#include "harness/signal_name.h"
#include "scenario/overloaded.h"
#include "syscall_names.h"

namespace harness {

std::string qualified_name(const Scenario& scenario) {
  if (scenario.group.empty()) return scenario.name;
  return scenario.group + "/" + scenario.name;
}

std::string describe_control(const FailpointControl& control) {
  using Kind = FailpointControl::Kind;
  switch (control.kind) {
    case Kind::Arm:
      return "arm " + control.site + "=" + control.actions;
    case Kind::Disarm:
      return "disarm " + control.site;
    case Kind::WaitPaused:
      return "wait_paused " + control.site;
    case Kind::Resume:
      return "resume " + control.site;
  }
  return "";
}

std::string format_duration(Nanos duration) {
  const double ms = static_cast<double>(duration.count()) / 1e6;
  char buf[32];
  if (ms >= 10000 || ms <= -10000) {
    std::snprintf(buf, sizeof buf, "%.1f s", ms / 1000);
  } else if (ms >= 10 || ms <= -10) {
    std::snprintf(buf, sizeof buf, "%lld ms", static_cast<long long>(ms));
  } else {
    std::snprintf(buf, sizeof buf, "%.1f ms", ms);
  }
  return buf;
}

std::string describe_syscall(const SyscallFault& fault) {
  std::string calls;
  for (const std::string& call : fault.calls) calls += (calls.empty() ? "" : "/") + call;
  const std::string thread = syscall_thread_name(fault);
  return "syscall " + calls + " " + syscall_effect_name(fault) + " in " +
         (thread == "any" ? "any thread" : thread) +
         (fault.path.empty() ? "" : " on " + fault.path) +
         (fault.nth == 1 ? "" : ", call " + std::to_string(fault.nth));
}

std::string describe_event(const Event& event) {
  const auto in_background = [&](std::string what) {
    return event.background ? what + " (background)" : what;
  };
  return std::visit(Overloaded{
                        [](const SignalEvent& e) { return "signal " + signal_name(e.signal); },
                        [](const FailpointControl& control) { return describe_control(control); },
                        [](const DatabaseEvent& e) { return "database " + e.fault; },
                        [](const OccupyEvent& e) { return "occupy " + e.port; },
                        [](const ReleaseEvent& e) { return "release " + e.port; },
                        [](const SyscallFault& fault) { return describe_syscall(fault); },
                        [](const RunEvent& e) {
                          std::string command = "run";
                          for (const std::string& arg : e.argv) command += " " + arg;
                          constexpr std::size_t kShown = 60;
                          return command.size() > kShown ? command.substr(0, kShown) + "…"
                                                         : command;
                        },
                        [&](const GrpcEvent& e) {
                          std::string what = "grpc " + e.rpc;
                          if (!e.message.empty()) what += " " + e.message;
                          if (!e.sign) what += " (unsigned)";
                          return in_background(std::move(what));
                        },
                        [&](const RequestEvent& e) {
                          std::string what = "request " + e.route;
                          if (e.method != "POST") what = e.method + " " + what;
                          return in_background(std::move(what));
                        },
                    },
                    event.action);
}

std::string describe_anchor(const Event& event) {
  std::string anchor;
  switch (event.at) {
    case Event::Anchor::Spawn:
      anchor = "spawn";
      break;
    case Event::Anchor::Start:
      anchor = "start";
      break;
    case Event::Anchor::Ready:
      anchor = "ready";
      break;
    case Event::Anchor::Fired:
      anchor = "fired:" + event.fired_site;
      break;
    case Event::Anchor::Line:
      anchor = "line:" + event.line_pattern;
      break;
  }
  if (event.delay.count() > 0) anchor += "+" + std::to_string(event.delay.count()) + "ms";
  return anchor;
}

std::string body_excerpt(const EventOutcome& outcome, std::size_t limit) {
  std::string out;
  const std::string& body = outcome.body;
  for (std::size_t i = 0; i < body.size() && i < limit; ++i) {
    const auto u = static_cast<unsigned char>(body[i]);
    if (u < 0x20 || u == 0x7f) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\x%02x", u);
      out += escaped;
    } else {
      out += body[i];
    }
  }
  if (body.size() > limit || outcome.body_cut) out += "…";
  return out;
}

bool event_done(const EventOutcome& outcome) {
  return outcome.status.has_value() || outcome.grpc_code.has_value() ||
         (outcome.error.empty() && !outcome.unsent);
}

std::string describe_outcome(const EventOutcome& outcome) {
  const std::string when = "+" + format_duration(outcome.at);
  if (outcome.status) {
    std::string text = "done at " + when + ": HTTP " + std::to_string(*outcome.status);
    if (!outcome.body.empty()) text += " \"" + body_excerpt(outcome) + "\"";
    if (outcome.body_cut) text += " (body longer than 64 KiB, not read further)";
    if (!outcome.error.empty()) text += " (" + outcome.error + ")";
    return text;
  }
  if (outcome.grpc_code) {
    return "done at " + when + ": gRPC " + *outcome.grpc_code + " " + body_excerpt(outcome);
  }
  if (event_done(outcome)) {
    if (outcome.did.empty()) return "done at " + when;
    std::string text = "done at " + when + ": " + outcome.did;
    if (!outcome.body.empty()) text += " \"" + body_excerpt(outcome) + "\"";
    return text;
  }
  if (outcome.unsent && !outcome.body.empty()) {  // a command's output says why it failed
    return "not done at " + when + ": " + outcome.error + " \"" + body_excerpt(outcome) +
           "\" (fails the run)";
  }
  if (outcome.unsent) return "not done at " + when + ": " + outcome.error + " (fails the run)";
  if (outcome.error == "target had exited" || outcome.error == "the run ended first" ||
      outcome.error == "an earlier event failed" ||
      outcome.error.starts_with("target had exited (")) {
    return "not done: " + outcome.error;
  }
  return "sent at " + when + ", no answer: " + outcome.error;
}

}  // namespace harness
