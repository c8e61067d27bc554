#include "report_json.h"

#include <cmath>
#include <nlohmann/json.hpp>
#include <optional>

#include "repro_command.h"
#include "scenario/event_text.h"
#include "utf8_repair.h"
#include "verdict/outcome_class.h"

namespace harness {
namespace {

using Json = nlohmann::ordered_json;  // keys in insertion order: the documented order

// Every string carries the target's bytes: valid UTF-8 first, so the dump cannot throw.
Json text(std::string_view s) {
  return internal::repair_utf8(s);
}

Json text_or_null(const std::optional<std::string>& s) {
  return s ? text(*s) : Json(nullptr);
}

// Milliseconds, rounded to the microsecond.
Json millis(Nanos duration) {
  return std::round(static_cast<double>(duration.count()) / 1e3) / 1e3;
}

Json millis_or_null(const std::optional<Nanos>& duration) {
  return duration ? millis(*duration) : Json(nullptr);
}

Json text_array(const std::vector<std::string>& items) {
  Json out = Json::array();
  for (const std::string& item : items) out.push_back(text(item));
  return out;
}

Json failure_object(const Failure& f, const CapturedLog& log) {
  Json out;
  out["expected"] = text(f.expected);
  out["actual"] = text(f.actual);
  out["nearest_line"] = f.nearest_line ? Json(log.line_number(*f.nearest_line)) : Json(nullptr);
  out["nearest_text"] = text(f.nearest_text);
  return out;
}

Json journal_object(const JournalEntry& e, const RunResult& r) {
  Json out;
  out["hit"] = e.hit;
  out["site"] = text(e.site);
  out["task"] = text(e.task);
  out["arg"] = text(e.arg);
  out["thread"] = text(e.thread);
  out["seed"] = e.seed;
  out["pid"] = e.pid;
  out["t_ms"] = r.spawn_mono_ns != 0 ? millis(Nanos(e.mono_ns - r.spawn_mono_ns)) : Json(nullptr);
  return out;
}

Json event_object(const EventOutcome& e, const Scenario& scenario) {
  const Event* event = e.event < scenario.events.size() ? &scenario.events[e.event] : nullptr;
  Json out;
  out["event"] = e.event;
  out["repetition"] = e.repetition;
  out["what"] = event ? text(describe_event(*event)) : Json(nullptr);
  out["anchor"] = event ? text(describe_anchor(*event)) : Json(nullptr);
  out["done"] = event_done(e);
  out["t_ms"] = millis(e.at);
  out["status"] = e.status ? Json(*e.status) : Json(nullptr);
  if (e.grpc_code) out["grpc_code"] = text(*e.grpc_code);
  out["body"] = text(body_excerpt(e, 1024));
  out["body_cut"] = e.body_cut;
  out["error"] = e.error.empty() ? Json(nullptr) : text(e.error);
  out["unsent"] = e.unsent;
  out["did"] = e.did.empty() ? Json(nullptr) : text(e.did);
  out["outcome"] = text(describe_outcome(e));
  return out;
}

Json run_object(const ScenarioOutcome& o) {
  const RunResult& r = o.result;
  const Verdict& v = o.verdict;
  Json out;
  out["name"] = text(o.scenario.name);
  out["group"] = text(o.scenario.group);
  out["file"] = text(o.scenario.file);
  out["repetition"] = o.repetition;
  out["passed"] = classify(r, v) == OutcomeClass::Pass;
  out["skipped"] = text_or_null(v.skipped);
  out["harness_error"] = text_or_null(r.harness_error);
  out["ending"] = text(v.ending);
  out["expected_ending"] = text(v.expected_ending);
  out["failures"] = Json::array();
  for (const Failure& f : v.failures) out["failures"].push_back(failure_object(f, r.log));
  out["fired"] = text_array(v.fired);
  out["armed_never_fired"] = text_array(v.armed_never_fired);
  out["leftovers"] = text_array(r.leftovers);
  out["containment"] = text(r.containment);
  out["fault_to_exit_ms"] = millis_or_null(v.fault_to_exit);
  out["ready_ms"] = millis_or_null(r.ready_at);
  out["exit_ms"] = millis_or_null(r.exit_at);
  out["wall_ms"] = millis(r.wall);
  out["journal"] = Json::array();
  for (const JournalEntry& e : r.journal) out["journal"].push_back(journal_object(e, r));
  out["events"] = Json::array();
  for (const EventOutcome& e : r.events) out["events"].push_back(event_object(e, o.scenario));
  out["repro"] = text(repro_command(r));
  return out;
}

}  // namespace

std::string json_report(const std::vector<ScenarioOutcome>& outcomes) {
  // One run per line: readable in a diff, and a failed run is easy to find with grep.
  std::string out = "[";
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    out += i == 0 ? "\n  " : ",\n  ";
    out += run_object(outcomes[i]).dump(-1, ' ', false, Json::error_handler_t::replace);
  }
  return out + (outcomes.empty() ? "]\n" : "\n]\n");
}

}  // namespace harness
