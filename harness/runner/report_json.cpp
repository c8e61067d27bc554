#include "harness/report_json.h"

#include <cstdio>
#include <optional>

#include "failpoint/json_string.h"
#include "harness/event_report.h"
#include "harness/repro_command.h"
#include "internal/utf8_repair.h"

namespace harness {
namespace {

std::string millis(Nanos duration) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.3f", static_cast<double>(duration.count()) / 1e6);
  return buf;
}

std::string millis_or_null(const std::optional<Nanos>& duration) {
  return duration ? millis(*duration) : "null";
}

std::string string_array(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ",";
    out += json_quote(items[i]);
  }
  return out + "]";
}

std::string line_number(const CapturedLog& log, std::optional<std::size_t> index) {
  return index ? std::to_string(log.line_number(*index)) : "null";
}

std::string run_object(const ScenarioOutcome& o) {
  const RunResult& r = o.result;
  const Verdict& v = o.verdict;
  std::string out = "{";
  out += "\"name\":" + json_quote(o.scenario.name);
  out += ",\"group\":" + json_quote(o.scenario.group);
  out += ",\"file\":" + json_quote(o.scenario.file);
  out += ",\"repetition\":" + std::to_string(o.repetition);
  out += std::string(",\"passed\":") + (v.passed && !r.harness_error ? "true" : "false");
  out += ",\"skipped\":" + (v.skipped ? json_quote(*v.skipped) : "null");
  out += ",\"harness_error\":" + (r.harness_error ? json_quote(*r.harness_error) : "null");
  out += ",\"ending\":" + json_quote(v.ending);
  out += ",\"expected_ending\":" + json_quote(v.expected_ending);
  out += ",\"failures\":[";
  for (std::size_t i = 0; i < v.failures.size(); ++i) {
    const Failure& f = v.failures[i];
    if (i > 0) out += ",";
    out += "{\"expected\":" + json_quote(f.expected) + ",\"actual\":" + json_quote(f.actual) +
           ",\"nearest_line\":" + line_number(r.log, f.nearest_line) +
           ",\"nearest_text\":" + json_quote(f.nearest_text) + "}";
  }
  out += "]";
  out += ",\"fired\":" + string_array(v.fired);
  out += ",\"armed_never_fired\":" + string_array(v.armed_never_fired);
  out += ",\"leftovers\":" + string_array(r.leftovers);
  out += ",\"containment\":" + json_quote(r.containment);
  out += ",\"fault_to_exit_ms\":" + millis_or_null(v.fault_to_exit);
  out += ",\"ready_ms\":" + millis_or_null(r.ready_at);
  out += ",\"exit_ms\":" + millis_or_null(r.exit_at);
  out += ",\"wall_ms\":" + millis(r.wall);
  out += ",\"journal\":[";
  for (std::size_t i = 0; i < r.journal.size(); ++i) {
    const JournalEntry& e = r.journal[i];
    if (i > 0) out += ",";
    out += "{\"hit\":" + std::to_string(e.hit) + ",\"site\":" + json_quote(e.site) +
           ",\"task\":" + json_quote(e.task) + ",\"arg\":" + json_quote(e.arg) +
           ",\"thread\":" + json_quote(e.thread) + ",\"seed\":" + std::to_string(e.seed) +
           ",\"pid\":" + std::to_string(e.pid) + ",\"t_ms\":" +
           (r.spawn_mono_ns != 0 ? millis(Nanos(e.mono_ns - r.spawn_mono_ns)) : "null") + "}";
  }
  out += "]";
  out += ",\"events\":[";
  for (std::size_t i = 0; i < r.events.size(); ++i) {
    const EventOutcome& e = r.events[i];
    if (i > 0) out += ",";
    const Event* event = e.event < o.scenario.events.size() ? &o.scenario.events[e.event] : nullptr;
    out += "{\"event\":" + std::to_string(e.event) +
           ",\"repetition\":" + std::to_string(e.repetition) +
           ",\"what\":" + (event ? json_quote(describe_event(*event)) : "null") +
           ",\"anchor\":" + (event ? json_quote(describe_anchor(*event)) : "null") +
           std::string(",\"done\":") + (event_done(e) ? "true" : "false") +
           ",\"t_ms\":" + millis(e.at) +
           ",\"status\":" + (e.status ? std::to_string(*e.status) : "null") +
           ",\"body\":" + json_quote(body_excerpt(e, 1024)) + std::string(",\"body_cut\":") +
           (e.body_cut ? "true" : "false") +
           ",\"error\":" + (e.error.empty() ? "null" : json_quote(e.error)) +
           std::string(",\"unsent\":") + (e.unsent ? "true" : "false") +
           ",\"did\":" + (e.did.empty() ? "null" : json_quote(e.did)) +
           ",\"outcome\":" + json_quote(describe_outcome(e)) + "}";
  }
  out += "]";
  out += ",\"repro\":" + json_quote(repro_command(r));
  return out + "}";
}

}  // namespace

std::string json_quote(std::string_view text) {
  std::string out;
  failpoint::append_json_string(out, internal::repair_utf8(text));
  return out;
}

std::string json_report(const std::vector<ScenarioOutcome>& outcomes) {
  std::string out = "[";
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    out += i == 0 ? "\n  " : ",\n  ";
    out += run_object(outcomes[i]);
  }
  return out + (outcomes.empty() ? "]\n" : "\n]\n");
}

}  // namespace harness
