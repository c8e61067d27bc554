#include "harness/verdict.h"

#include <algorithm>
#include <cstdio>
#include <set>

#include "harness/line_match.h"
#include "harness/signal_name.h"
#include "scenario/event_text.h"
#include "scenario/scenario_requirements.h"

namespace harness {

std::vector<NumberedLine> lines_of(const CapturedLog& log, Stream stream) {
  std::vector<NumberedLine> lines;
  std::size_t index = 0;
  for (const auto* part : {&log.head, &log.tail}) {
    for (const LogLine& line : *part) {
      if (line.stream == stream) lines.push_back({index, line.text});
      ++index;
    }
  }
  return lines;
}

namespace {

constexpr std::size_t kQuoteLimit = 200;  // longest line or body quoted in a failure

std::string quote(std::string_view text) {
  std::string quoted = "\"";
  if (text.size() > kQuoteLimit) {
    quoted.append(text.substr(0, kQuoteLimit));
    quoted += "…";
  } else {
    quoted.append(text);
  }
  return quoted + "\"";
}

std::string millis(Nanos duration) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f ms", static_cast<double>(duration.count()) / 1e6);
  return text;
}

const char* stream_name(Stream stream) {
  return stream == Stream::Stderr ? "stderr" : "stdout";
}

std::string plural(std::size_t count, const char* word) {
  return std::to_string(count) + " " + word + (count == 1 ? "" : "s");
}

std::string describe_expected_ending(const Expect& expect) {
  if (expect.exit_code) return "exit status " + std::to_string(*expect.exit_code);
  if (expect.signal) return "killed by " + signal_name(*expect.signal);
  if (expect.still_running) return "still running";
  return "any ending";
}

bool ending_matches(const Expect& expect, const Termination& end) {
  using Kind = Termination::Kind;
  if (expect.exit_code) return end.kind == Kind::Exited && end.code == *expect.exit_code;
  if (expect.signal) return end.kind == Kind::Signaled && end.signal == *expect.signal;
  if (expect.still_running) return end.kind == Kind::StillRunning;
  return end.kind == Kind::Exited || end.kind == Kind::Signaled;
}

std::string bad_regex(const std::string& pattern, const PatternError& error) {
  return "/" + pattern + "/ is not a valid RE2 pattern: " + error.what();
}

void check_ordered(const CapturedLog& log, Stream stream, const std::vector<std::string>& patterns,
                   Verdict& verdict) {
  if (patterns.empty()) return;
  const auto lines = lines_of(log, stream);
  std::vector<OrderedMatch> matches;
  try {
    matches = match_in_order(lines, patterns);
  } catch (const PatternError&) {
    for (const auto& pattern : patterns) {
      if (const auto problem = pattern_problem(pattern)) {
        verdict.failures.push_back(
            {std::string(stream_name(stream)) + " line matching /" + pattern + "/",
             bad_regex(pattern, PatternError(problem->message)), std::nullopt, ""});
      }
    }
    return;
  }
  for (const OrderedMatch& match : matches) {
    verdict.marks.push_back({stream, match.pattern, match.line});
    if (match.line) continue;
    Failure failure;
    failure.expected = std::string(stream_name(stream)) + " line matching /" + match.pattern + "/";
    if (match.after)
      failure.expected += " after line " + std::to_string(log.line_number(*match.after));
    const std::size_t searched =
        match.after ? static_cast<std::size_t>(std::count_if(
                          lines.begin(), lines.end(),
                          [&](const NumberedLine& line) { return line.index > *match.after; }))
                    : lines.size();
    failure.actual = "no such line among " + plural(searched, "line") + " of " +
                     stream_name(stream) + (match.after ? " after it" : "");
    if (log.dropped_lines > 0) {
      failure.actual += " (" + plural(log.dropped_lines, "line") + " dropped from the middle)";
    }
    if (auto nearest = nearest_line(lines, match.pattern, match.after)) {
      failure.nearest_line = nearest->index;
      failure.nearest_text = std::string(nearest->text);
    }
    verdict.failures.push_back(std::move(failure));
  }
}

void check_absent(const CapturedLog& log, Stream stream, const std::vector<std::string>& patterns,
                  Verdict& verdict) {
  const auto lines = lines_of(log, stream);
  for (const std::string& pattern : patterns) {
    const std::string expected =
        std::string("no ") + stream_name(stream) + " line matching /" + pattern + "/";
    std::vector<std::size_t> found;
    try {
      found = matching_lines(lines, pattern);
    } catch (const PatternError& error) {
      verdict.failures.push_back({expected, bad_regex(pattern, error), std::nullopt, ""});
      continue;
    }
    if (found.empty()) continue;
    const auto line = std::find_if(lines.begin(), lines.end(),
                                   [&](const NumberedLine& l) { return l.index == found.front(); });
    std::string actual = "line " + std::to_string(log.line_number(found.front())) + " matches";
    if (found.size() > 1) actual += " (and " + plural(found.size() - 1, "more line") + ")";
    verdict.failures.push_back(
        {expected, actual + ": " + quote(line->text), found.front(), std::string(line->text)});
  }
}

std::string list_or_none(const std::vector<std::string>& sites) {
  if (sites.empty()) return "none";
  std::string text;
  for (const auto& site : sites) text += (text.empty() ? "" : ", ") + site;
  return text;
}

void check_fired(const Scenario& scenario, Verdict& verdict) {
  if (!scenario.expect.fired) return;
  const std::set<std::string> expected(scenario.expect.fired->begin(),
                                       scenario.expect.fired->end());
  const std::set<std::string> fired(verdict.fired.begin(), verdict.fired.end());
  if (expected == fired) return;
  std::vector<std::string> missing;
  std::vector<std::string> unexpected;
  std::set_difference(expected.begin(), expected.end(), fired.begin(), fired.end(),
                      std::back_inserter(missing));
  for (const auto& site : verdict.fired) {
    if (!expected.count(site)) unexpected.push_back(site);
  }
  std::string actual = "fired: " + list_or_none(verdict.fired);
  if (!missing.empty()) actual += "; expected but never fired: " + list_or_none(missing);
  if (!unexpected.empty()) actual += "; fired but not expected: " + list_or_none(unexpected);
  verdict.failures.push_back({expected.empty()
                                  ? "no failpoint to fire"
                                  : "exactly these failpoints to fire: " +
                                        list_or_none({expected.begin(), expected.end()}),
                              actual, std::nullopt, ""});
}

const JournalEntry* first_firing(const RunResult& result) {
  for (const JournalEntry& entry : result.journal) {
    if (entry.task != "off") return &entry;
  }
  return nullptr;
}

// The line that arrived first, on either stream: the head fills first, in arrival order.
const LogLine* first_output_line(const CapturedLog& log) {
  return log.head.empty() ? nullptr : &log.head.front();
}

void check_within(const Scenario& scenario, const RunResult& result, Verdict& verdict) {
  const JournalEntry* first = first_firing(result);
  const bool exited = result.end.kind == Termination::Kind::Exited ||
                      result.end.kind == Termination::Kind::Signaled;
  if (first && exited) verdict.fault_to_exit = Nanos{result.exit_mono_ns - first->mono_ns};
  if (!scenario.expect.within_ms || !exited) return;  // the ending failure already says why
  const Millis limit = *scenario.expect.within_ms;
  std::string expected = "exit within " + std::to_string(limit.count()) + " ms of ";
  Nanos elapsed{0};
  if (first) {
    expected += "the first firing (" + first->site + ")";
    elapsed = *verdict.fault_to_exit;
  } else if (result.ready_at) {
    expected += "ready (no failpoint fired)";
    elapsed = Nanos{result.exit_mono_ns - (result.spawn_mono_ns + result.ready_at->count())};
  } else if (const LogLine* first_line = first_output_line(result.log)) {
    // An outside fault (a taken port) journals nothing and may stop the target before it is
    // ready. Its first line says it runs its own code: measuring from there leaves out the
    // start-up, which many targets starting at once slow down.
    expected += "the first output line (no failpoint fired, never ready)";
    elapsed = Nanos{result.exit_mono_ns - result.spawn_mono_ns} - first_line->at;
  } else {
    expected += "spawn (no failpoint fired, never ready, no output)";
    elapsed = Nanos{result.exit_mono_ns - result.spawn_mono_ns};
  }
  if (elapsed <= limit) return;
  verdict.failures.push_back(
      {expected, "exited " + millis(elapsed) + " after it", std::nullopt, ""});
}

void check_events(const Scenario& scenario, const RunResult& result, Verdict& verdict) {
  for (std::size_t i = 0; i < scenario.events.size(); ++i) {
    const Event& event = scenario.events[i];
    // Short names for what has an answer; a fault or a control in full.
    const auto* request = event.as<RequestEvent>();
    const auto* grpc = event.as<GrpcEvent>();
    const auto* signal = event.as<SignalEvent>();
    const std::string name = "events[" + std::to_string(i) + "] (" +
                             (request  ? request->route
                              : grpc   ? "grpc " + grpc->rpc
                              : signal ? signal_name(signal->signal)
                                       : describe_event(event)) +
                             ")";
    static const RequestEvent kNoRequest;
    static const GrpcEvent kNoGrpc;
    const std::optional<int>& expect_status = (request ? *request : kNoRequest).expect_status;
    const std::optional<std::string>& expect_code = (grpc ? *grpc : kNoGrpc).expect_code;
    if (!expect_status && !event.expect_body && !expect_code) {
      // Whether or not an answer is checked, an event that could not be done fails the run.
      for (const EventOutcome& outcome : result.events) {
        if (outcome.event != i || !outcome.unsent) continue;
        verdict.failures.push_back({name + " #" + std::to_string(outcome.repetition + 1) +
                                        (request || grpc ? " to be sent"
                                         : signal        ? " to be delivered"
                                                         : " to be done"),
                                    "not done: " + outcome.error, std::nullopt, ""});
      }
      continue;
    }
    std::size_t sent = 0;
    for (const EventOutcome& outcome : result.events) {
      if (outcome.event != i) continue;
      ++sent;
      const std::string which = name + " #" + std::to_string(outcome.repetition + 1);
      const std::string status_expected =
          expect_status ? which + " to answer HTTP " + std::to_string(*expect_status) : "";
      const std::string code_expected =
          expect_code ? which + " to answer gRPC " + *expect_code : "";
      const std::string body_expected =
          event.expect_body ? which + " to answer a body matching /" + *event.expect_body + "/"
                            : "";
      if (!outcome.status && !outcome.grpc_code) {  // one failure: nothing else can be said
        verdict.failures.push_back({expect_status ? status_expected
                                    : expect_code ? code_expected
                                                  : body_expected,
                                    "no answer: " + outcome.error, std::nullopt, ""});
        continue;
      }
      if (expect_code && outcome.grpc_code != expect_code) {
        verdict.failures.push_back(
            {code_expected, "gRPC " + outcome.grpc_code.value_or("") + " " + quote(outcome.body),
             std::nullopt, ""});
      }
      if (expect_status && outcome.status != expect_status) {
        verdict.failures.push_back(
            {status_expected, "HTTP " + std::to_string(*outcome.status) + " " + quote(outcome.body),
             std::nullopt, ""});
      }
      if (event.expect_body) {
        try {
          if (!pattern_found(*event.expect_body, outcome.body)) {
            verdict.failures.push_back(
                {body_expected, "body " + quote(outcome.body), std::nullopt, ""});
          }
        } catch (const PatternError& error) {
          verdict.failures.push_back(
              {body_expected, bad_regex(*event.expect_body, error), std::nullopt, ""});
        }
      }
    }
    if (sent < static_cast<std::size_t>(event.count)) {
      verdict.failures.push_back({name + " sent " + plural(event.count, "time"),
                                  "sent " + plural(sent, "time"), std::nullopt, ""});
    }
  }
}

// A process that outlives its target is a defect of the target unless the scenario allows it.
void check_leftovers(const Scenario& scenario, const RunResult& result, Verdict& verdict) {
  if (result.leftovers.empty() || scenario.expect.leftovers_allowed) return;
  verdict.failures.push_back(
      {"no process to outlive the target",
       std::to_string(result.leftovers.size()) +
           (result.leftovers.size() == 1 ? " process" : " processes") +
           " outlived it (killed by the harness): " + list_or_none(result.leftovers),
       std::nullopt, ""});
}

Verdict judge_as_written(const Scenario& scenario, const RunResult& result) {
  Verdict verdict;
  verdict.ending = describe_ending(result, &scenario);
  verdict.expected_ending = describe_expected_ending(scenario.expect);
  for (const JournalEntry& entry : result.journal) {
    if (entry.task == "off") continue;
    if (std::find(verdict.fired.begin(), verdict.fired.end(), entry.site) == verdict.fired.end()) {
      verdict.fired.push_back(entry.site);
    }
  }
  for (const auto& [site, actions] : scenario.failpoints) {
    if (std::find(verdict.fired.begin(), verdict.fired.end(), site) == verdict.fired.end()) {
      verdict.armed_never_fired.push_back(site);
    }
  }

  if (result.harness_error && result.end.kind != Termination::Kind::NotStarted) {
    verdict.failures.push_back({"the harness to do its part",
                                "harness error: " + *result.harness_error, std::nullopt, ""});
  }
  if (!ending_matches(scenario.expect, result.end)) {
    verdict.failures.push_back({verdict.expected_ending, verdict.ending, std::nullopt, ""});
  }
  check_ordered(result.log, Stream::Stderr, scenario.expect.stderr_lines, verdict);
  check_ordered(result.log, Stream::Stdout, scenario.expect.stdout_lines, verdict);
  check_absent(result.log, Stream::Stderr, scenario.expect.stderr_not, verdict);
  check_absent(result.log, Stream::Stdout, scenario.expect.stdout_not, verdict);
  check_fired(scenario, verdict);
  check_within(scenario, result, verdict);
  check_events(scenario, result, verdict);
  check_leftovers(scenario, result, verdict);
  verdict.passed = verdict.failures.empty();
  return verdict;
}

}  // namespace

std::string Failure::text() const {
  return "expected " + expected + ", got " + actual;
}

std::string Verdict::headline() const {
  if (skipped) return "skipped: " + *skipped;
  if (failures.empty()) return passed ? "PASS" : "FAIL";
  return failures.front().text();
}

// What a target that timed out before it was ready never did: the scenario's readiness.
std::string never_ready(const RunResult& result, const Scenario* scenario) {
  if (scenario == nullptr || result.ready) return "";
  switch (effective_readiness(scenario->superlink)) {
    case Readiness::File:
      return "; never ready: no ready file";
    case Readiness::Ports:
      return "; never ready: the Fleet, ServerAppIo and Exec ports never all accepted";
    case Readiness::Line:
      return "; never ready: no line matched /" + scenario->superlink.ready_line + "/";
    case Readiness::None:
      return "";
  }
  return "";
}

std::string describe_ending(const RunResult& result, const Scenario* scenario) {
  const Termination& end = result.end;
  switch (end.kind) {
    case Termination::Kind::Exited:
      return "exited with status " + std::to_string(end.code);
    case Termination::Kind::Signaled:
      return "killed by signal " + signal_name(end.signal) +
             (end.core_dumped ? " (core dumped)" : "");
    case Termination::Kind::StillRunning:
      return "still running" +
             (scenario ? " after " + std::to_string(scenario->expect.hold.count()) + " ms"
                       : std::string()) +
             " (stopped by the harness)";
    case Termination::Kind::TimedOut:
      return "timed out" +
             (scenario ? " after " + std::to_string(scenario->timeout.count()) + " ms"
                       : std::string()) +
             (end.ignored_sigterm ? " (SIGTERM ignored, killed" : " (stopped with SIGTERM") +
             never_ready(result, scenario) + ")";
    case Termination::Kind::NotStarted:
      return "did not start: " + result.harness_error.value_or("no reason given");
  }
  return "ended in an unknown way";
}

Verdict skipped_verdict(std::string reason) {
  Verdict verdict;
  verdict.ending = "not run";
  verdict.skipped = std::move(reason);
  return verdict;
}

Verdict judge(const Scenario& scenario, const RunResult& result) {
  // What the platform cannot do (no system-call injector, ptrace refused) skips a scenario that
  // declares it needs it; one that does not declare it fails on the event not done.
  if (requires_capability(scenario, kRequiresSyscallFaults)) {
    for (const EventOutcome& outcome : result.events) {
      if (outcome.unsupported) {
        Verdict verdict = skipped_verdict("requires syscall-faults: " + outcome.error);
        verdict.ending = describe_ending(result);
        return verdict;
      }
    }
  }
  Verdict verdict = judge_as_written(scenario, result);
  if (!scenario.negative) return verdict;

  // A negative scenario's expectations are wrong on purpose: it proves the checks catch them.
  verdict.inverted = true;
  verdict.expected_failures = std::move(verdict.failures);
  verdict.failures.clear();
  const std::string pattern = scenario.negative_message.value_or("");
  if (verdict.expected_failures.empty()) {
    verdict.failures.push_back({"the expectations to fail (negative scenario)",
                                "every expectation held", std::nullopt, ""});
  } else {
    const std::string first = verdict.expected_failures.front().text();
    bool matched = false;
    try {
      matched = pattern_found(pattern, first);
    } catch (const PatternError& error) {
      verdict.failures.push_back({"a first failure matching /" + pattern + "/",
                                  bad_regex(pattern, error), std::nullopt, ""});
    }
    if (!matched && verdict.failures.empty()) {
      verdict.failures.push_back({"a first failure matching /" + pattern + "/ (negative scenario)",
                                  quote(first), std::nullopt, ""});
    }
  }
  verdict.passed = verdict.failures.empty();
  return verdict;
}

}  // namespace harness
