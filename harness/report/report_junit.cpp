#include "report_junit.h"

#include <cstdio>
#include <filesystem>
#include <map>
#include <utility>

#include "junit_parts.h"
#include "report_text.h"
#include "report_text_parts.h"
#include "utf8_repair.h"
#include "verdict/outcome_class.h"

namespace harness {
namespace {

std::string seconds(Nanos duration) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", static_cast<double>(duration.count()) / 1e9);
  return buf;
}

std::string attribute(std::string_view name, std::string_view value) {
  return " " + std::string(name) + "=\"" + xml_escape(value) + "\"";
}

// The last `count` lines of one stream, as written.
std::string stream_tail(const CapturedLog& log, Stream stream, std::size_t count) {
  std::vector<const LogLine*> lines;
  for (const auto* part : {&log.head, &log.tail}) {
    for (const LogLine& line : *part) {
      if (line.stream == stream) lines.push_back(&line);
    }
  }
  const std::size_t first = lines.size() > count ? lines.size() - count : 0;
  std::string out;
  for (std::size_t i = first; i < lines.size(); ++i) out += lines[i]->text + '\n';
  return out;
}

void append_testcase(std::string& out, const ScenarioOutcome& o, const std::string& name,
                     const std::string& classname, std::size_t log_tail_lines) {
  const OutcomeClass outcome_class = classify(o);
  const bool error = outcome_class == OutcomeClass::Error;
  out += "    <testcase" + attribute("name", name) + attribute("classname", classname) +
         attribute("time", seconds(o.result.wall));
  if (outcome_class == OutcomeClass::Pass) {
    out += "/>\n";
    return;
  }
  if (outcome_class == OutcomeClass::Skip) {
    out += ">\n      <skipped" + attribute("message", *o.verdict.skipped) + "/>\n    </testcase>\n";
    return;
  }
  out += ">\n";
  const std::string element = error ? "error" : "failure";
  const std::string report = full_report(o.scenario, o.result, o.verdict, {});
  out += "      <" + element + attribute("message", report_headline(o.result, o.verdict)) +
         attribute("type", error ? "harness" : "verdict") + ">" + xml_escape(report) + "</" +
         element + ">\n";
  const std::string out_tail = stream_tail(o.result.log, Stream::Stdout, log_tail_lines);
  if (!out_tail.empty()) out += "      <system-out>" + xml_escape(out_tail) + "</system-out>\n";
  const std::string err_tail = stream_tail(o.result.log, Stream::Stderr, log_tail_lines);
  if (!err_tail.empty()) out += "      <system-err>" + xml_escape(err_tail) + "</system-err>\n";
  out += "    </testcase>\n";
}

}  // namespace

std::string xml_escape(std::string_view text) {
  const std::string valid = internal::repair_utf8(text);
  std::string out;
  out.reserve(valid.size());
  for (std::size_t i = 0; i < valid.size(); ++i) {
    const char c = valid[i];
    const auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        if ((u < 0x20 && c != '\t' && c != '\n' && c != '\r') || u == 0x7f) break;
        // U+FFFE and U+FFFF are not XML characters either (EF BF BE / EF BF BF).
        if (u == 0xEF && i + 2 < valid.size() && static_cast<unsigned char>(valid[i + 1]) == 0xBF &&
            (static_cast<unsigned char>(valid[i + 2]) & 0xFE) == 0xBE) {
          i += 2;
          break;
        }
        out += c;
    }
  }
  return out;
}

std::string junit_class(const Scenario& scenario) {
  if (!scenario.file.empty()) {
    const std::filesystem::path folder =
        std::filesystem::absolute(scenario.file).lexically_normal().parent_path().filename();
    if (!folder.empty()) return folder.string();
  }
  return scenario.group.empty() ? "superlink-harness" : scenario.group;
}

std::string junit_report(const std::vector<ScenarioOutcome>& outcomes, std::size_t log_tail_lines) {
  // Classes in name order; runs within a class in the order they came.
  std::map<std::string, std::vector<const ScenarioOutcome*>> classes;
  std::map<std::pair<std::string, std::string>, int> runs_of;  // (class, name) -> how many
  for (const ScenarioOutcome& o : outcomes) {
    const std::string classname = junit_class(o.scenario);
    classes[classname].push_back(&o);
    ++runs_of[{classname, o.scenario.name}];
  }

  OutcomeCounts counts;
  Nanos total{0};
  for (const ScenarioOutcome& o : outcomes) {
    counts.add(classify(o));
    total += o.result.wall;
  }
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out +=
      "<testsuites" + attribute("name", "superlink-harness") +
      attribute("tests", std::to_string(outcomes.size())) +
      attribute("failures", std::to_string(counts.failed)) +
      attribute("errors", std::to_string(counts.errors)) +
      (counts.skipped > 0 ? attribute("skipped", std::to_string(counts.skipped)) : std::string()) +
      attribute("time", seconds(total)) + ">\n";
  std::map<std::pair<std::string, std::string>, int> seen;
  for (const auto& [classname, members] : classes) {
    OutcomeCounts class_counts;
    Nanos class_time{0};
    for (const ScenarioOutcome* o : members) {
      class_counts.add(classify(*o));
      class_time += o->result.wall;
    }
    out += "  <testsuite" + attribute("name", classname) +
           attribute("tests", std::to_string(members.size())) +
           attribute("failures", std::to_string(class_counts.failed)) +
           attribute("errors", std::to_string(class_counts.errors)) +
           (class_counts.skipped > 0 ? attribute("skipped", std::to_string(class_counts.skipped))
                                     : std::string()) +
           attribute("time", seconds(class_time)) + ">\n";
    for (const ScenarioOutcome* o : members) {
      // Repetitions get a number each: CI tools keep one result per name.
      const std::pair<std::string, std::string> key{classname, o->scenario.name};
      std::string name = o->scenario.name;
      if (runs_of[key] > 1) name += " #" + std::to_string(++seen[key]);
      append_testcase(out, *o, name, classname, log_tail_lines);
    }
    out += "  </testsuite>\n";
  }
  out += "</testsuites>\n";
  return out;
}

}  // namespace harness
