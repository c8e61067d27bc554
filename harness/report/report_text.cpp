#include "report_text.h"

#include <algorithm>
#include <cstdio>
#include <set>
#include <string_view>
#include <vector>

#include "report_text_parts.h"
#include "repro_command.h"
#include "scenario/event_text.h"
#include "verdict/outcome_class.h"

namespace harness {
namespace {

constexpr std::string_view kReset = "\x1b[0m";
constexpr std::string_view kRed = "\x1b[31m";
constexpr std::string_view kGreen = "\x1b[32m";
constexpr std::string_view kYellow = "\x1b[33m";
constexpr std::string_view kMagenta = "\x1b[35m";

std::string paint(std::string_view text, std::string_view colour, bool enabled) {
  if (!enabled) return std::string(text);
  return std::string(colour) + std::string(text) + std::string(kReset);
}

// Captured text is the target's: control bytes are shown as \xNN so they cannot drive the
// terminal the report is read on.
std::string printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\t') || u == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", u);
      out += buf;
    } else {
      out += c;
    }
  }
  return out;
}

std::string pad_right(std::string text, std::size_t width) {
  if (text.size() < width) text.append(width - text.size(), ' ');
  return text;
}

std::string pad_left(std::string text, std::size_t width) {
  if (text.size() < width) text.insert(0, width - text.size(), ' ');
  return text;
}

std::string join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += separator;
    out += items[i];
  }
  return out;
}

std::string_view stream_tag(Stream stream) {
  return stream == Stream::Stderr ? "stderr" : "stdout";
}

const LogLine* line_at(const CapturedLog& log, std::size_t index) {
  if (index < log.head.size()) return &log.head[index];
  index -= log.head.size();
  return index < log.tail.size() ? &log.tail[index] : nullptr;
}

std::string tag(const RunResult& result, const Verdict& verdict, bool color) {
  const OutcomeClass outcome_class = classify(result, verdict);
  const std::string_view colour = outcome_class == OutcomeClass::Error  ? kMagenta
                                  : outcome_class == OutcomeClass::Skip ? kYellow
                                  : outcome_class == OutcomeClass::Pass ? kGreen
                                                                        : kRed;
  std::string word(class_word(outcome_class));
  word.resize(5, ' ');  // the names line up
  return paint(word, colour, color);
}

void append_scenario_section(std::string& out, const Scenario& scenario) {
  out += "  scenario: " + qualified_name(scenario) + "\n";
  out += "  file:     " + (scenario.file.empty() ? std::string("(built in C++)") : scenario.file) +
         "\n";
  if (!scenario.description.empty()) out += "  about:    " + scenario.description + "\n";
}

void append_ending_section(std::string& out, const RunResult& result, const Verdict& verdict) {
  out += "  ended:    " + verdict.ending + "\n";
  out += "  expected: " + verdict.expected_ending + "\n";
  if (result.harness_error) out += "  harness:  " + *result.harness_error + "\n";
  if (!result.leftovers.empty()) {
    // Processes the target started and left running: the harness killed them after the exit.
    std::string list;
    for (const std::string& process : result.leftovers)
      list += (list.empty() ? "" : ", ") + process;
    out += "  left:     " + list + " (outlived the target; killed by the harness)\n";
  }
  if (verdict.inverted) {
    out +=
        "  negative: the expectations are wrong on purpose; the scenario passes when they fail\n";
  }
}

void append_failures_section(std::string& out, const RunResult& result, const Verdict& verdict,
                             bool color) {
  const std::size_t n = verdict.failures.size();
  for (std::size_t i = 0; i < n; ++i) {
    const Failure& f = verdict.failures[i];
    const std::string title = "unmet (" + std::to_string(i + 1) + " of " + std::to_string(n) + "):";
    out += "  " + paint(title, kRed, color) + " " + f.expected + "\n";
    out += "    actual:  " + f.actual + "\n";
    if (f.nearest_line) {
      out += "    nearest: line " + std::to_string(result.log.line_number(*f.nearest_line)) + ": " +
             printable(f.nearest_text) + "\n";
    }
  }
}

// Every event's outcome, repetitions apart, in the order they were done.
void append_events_section(std::string& out, const Scenario& scenario, const RunResult& result) {
  if (scenario.events.empty()) return;
  std::size_t done = 0;
  for (const EventOutcome& outcome : result.events) done += event_done(outcome) ? 1 : 0;
  out += "  events: " + std::to_string(done) + " of " + std::to_string(result.events.size()) +
         " done (t from spawn)\n";
  for (const EventOutcome& outcome : result.events) {
    if (outcome.event >= scenario.events.size()) continue;
    const Event& event = scenario.events[outcome.event];
    std::string which = "events[" + std::to_string(outcome.event) + "] " + describe_event(event);
    if (event.count > 1) which += " #" + std::to_string(outcome.repetition + 1);
    out += "    " + which + " at " + describe_anchor(event) + ": " +
           printable(describe_outcome(outcome)) + "\n";
  }
}

void append_journal_section(std::string& out, const RunResult& result, const Verdict& verdict) {
  if (result.journal.empty()) {
    out += "  fault journal: no firings\n";
  } else {
    out += "  fault journal: " + std::to_string(result.journal.size()) +
           (result.journal.size() == 1 ? " firing" : " firings") + " (t from spawn)\n";
    std::vector<std::vector<std::string>> rows{{"hit", "site", "task", "arg", "thread", "t"}};
    for (const JournalEntry& e : result.journal) {
      std::string t = "?";
      if (result.spawn_mono_ns != 0) {
        t = "+" + format_duration(Nanos(e.mono_ns - result.spawn_mono_ns));
      }
      rows.push_back({std::to_string(e.hit), e.site, e.task, printable(e.arg), e.thread, t});
    }
    std::vector<std::size_t> widths(rows[0].size(), 0);
    for (const auto& row : rows) {
      for (std::size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], row[c].size());
    }
    for (const auto& row : rows) {
      std::string line = "    " + pad_left(row[0], widths[0]);
      for (std::size_t c = 1; c < row.size(); ++c) {
        line += "  " + (c + 1 == row.size() ? row[c] : pad_right(row[c], widths[c]));
      }
      while (!line.empty() && line.back() == ' ') line.pop_back();
      out += line + "\n";
    }
  }
  if (!verdict.armed_never_fired.empty()) {
    out += "  armed, never fired: " + join(verdict.armed_never_fired, ", ") + "\n";
  }
}

struct Note {
  std::string text;
  bool matched = false;
};

void append_log_section(std::string& out, const RunResult& result, const Verdict& verdict,
                        const TextReportOptions& options) {
  const CapturedLog& log = result.log;
  const std::size_t n = log.head.size() + log.tail.size();
  if (n == 0 && log.dropped_lines == 0) {
    out += "  log: empty\n";
    return;
  }
  std::string header = "  log: " + std::to_string(n + log.dropped_lines) + " lines, " +
                       std::to_string(log.total_bytes) + " bytes";
  if (log.dropped_lines > 0 || log.dropped_bytes > 0) {
    header += "; the capture budget dropped " + std::to_string(log.dropped_lines) + " lines (" +
              std::to_string(log.dropped_bytes) + " bytes)";
  }
  out += header + "; '>' matched, '?' nearest miss\n";

  std::vector<std::vector<Note>> notes(n);
  for (const LineMark& mark : verdict.marks) {
    if (mark.line && *mark.line < n) {
      notes[*mark.line].push_back({"^ matched /" + mark.pattern + "/", true});
    }
  }
  for (const Failure& f : verdict.failures) {
    if (f.nearest_line && *f.nearest_line < n) {
      notes[*f.nearest_line].push_back({"^ nearest miss for: " + f.expected, false});
    }
  }

  const std::size_t number_width = std::to_string(log.line_number(n == 0 ? 0 : n - 1)).size();
  std::size_t time_width = 0;
  for (std::size_t i = 0; i < n; ++i) {
    time_width = std::max(time_width, format_duration(line_at(log, i)->at).size() + 1);
  }
  const std::string note_indent(2 + 2 + number_width + 1 + 6 + 1 + time_width + 1, ' ');

  std::uint64_t omitted = 0;
  auto flush_omitted = [&] {
    if (omitted > 0) {
      out += "    ... " + std::to_string(omitted) + (omitted == 1 ? " line" : " lines") +
             " omitted ...\n";
      omitted = 0;
    }
  };
  for (std::size_t i = 0; i < n; ++i) {
    if (i == log.head.size()) omitted += log.dropped_lines;
    const bool visible = i < options.head_lines || i + options.tail_lines >= n || !notes[i].empty();
    if (!visible) {
      ++omitted;
      continue;
    }
    flush_omitted();
    const LogLine& line = *line_at(log, i);
    const bool matched = std::any_of(notes[i].begin(), notes[i].end(),
                                     [](const Note& note) { return note.matched; });
    std::string gutter = "  ";
    if (!notes[i].empty()) {
      gutter = matched ? paint(">", kGreen, options.color) : paint("?", kYellow, options.color);
      gutter += ' ';
    }
    out += "  " + gutter + pad_left(std::to_string(log.line_number(i)), number_width) + " " +
           std::string(stream_tag(line.stream)) + " " +
           pad_left("+" + format_duration(line.at), time_width) + " | " + printable(line.text) +
           "\n";
    for (const Note& note : notes[i]) {
      out += note_indent +
             paint(printable(note.text), note.matched ? kGreen : kYellow, options.color) + "\n";
    }
  }
  if (n <= log.head.size()) omitted += log.dropped_lines;
  flush_omitted();
}

void append_rerun_section(std::string& out, const RunResult& result) {
  if (result.argv.empty()) {
    out += "  rerun: (no command: the target was not started)\n";
    return;
  }
  out += "  rerun:\n    " + repro_command(result) + "\n";
}

}  // namespace

std::optional<Nanos> time_to_exit(const RunResult& result, const Verdict& verdict) {
  if (!result.exit_at) return std::nullopt;
  if (verdict.fault_to_exit) return verdict.fault_to_exit;
  return result.exit_at;
}

std::string report_headline(const RunResult& result, const Verdict& verdict) {
  switch (classify(result, verdict)) {
    case OutcomeClass::Error:
      return "harness error: " + *result.harness_error;
    case OutcomeClass::Pass:
      return "PASS";
    case OutcomeClass::Skip:
    case OutcomeClass::Fail:
      break;
  }
  return verdict.headline();
}

std::string status_line(const Scenario& scenario, const RunResult& result, const Verdict& verdict,
                        const TextReportOptions& options) {
  std::string line = tag(result, verdict, options.color) + " " + qualified_name(scenario) + "  (";
  if (classify(result, verdict) != OutcomeClass::Pass) {
    line += printable(report_headline(result, verdict));
  } else {
    std::vector<std::string> parts;
    if (const auto t = time_to_exit(result, verdict)) {
      parts.push_back(format_duration(*t) + " to exit");
    } else {
      parts.push_back(verdict.ending);
    }
    if (!verdict.fired.empty()) parts.push_back("fired: " + join(verdict.fired, ", "));
    if (verdict.inverted && !verdict.expected_failures.empty()) {
      parts.push_back("failed as intended: " + printable(verdict.expected_failures.front().text()));
    }
    line += join(parts, ", ");
  }
  return line + ")";
}

std::string full_report(const Scenario& scenario, const RunResult& result, const Verdict& verdict,
                        const TextReportOptions& options) {
  std::string out;
  append_scenario_section(out, scenario);
  append_ending_section(out, result, verdict);
  append_failures_section(out, result, verdict, options.color);
  append_events_section(out, scenario, result);
  append_journal_section(out, result, verdict);
  append_log_section(out, result, verdict, options);
  append_rerun_section(out, result);
  return out;
}

std::string scenario_text(const Scenario& scenario, const RunResult& result, const Verdict& verdict,
                          const TextReportOptions& options) {
  std::string out = status_line(scenario, result, verdict, options) + "\n";
  if (verdict.skipped) return out;  // nothing ran: the reason is all there is to say
  if (options.verbose || !verdict.passed || result.harness_error) {
    out += full_report(scenario, result, verdict, options);
  }
  return out;
}

}  // namespace harness
