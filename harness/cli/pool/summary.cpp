#include "summary.h"

#include <algorithm>

#include "report/report_text.h"
#include "selection/scenario_set.h"
#include "verdict/outcome_class.h"

namespace harness::cli {
namespace {

std::string pad(std::string text, std::size_t width) {
  if (text.size() < width) text.append(width - text.size(), ' ');
  return text;
}

std::string verdict_word(const ScenarioOutcome& o) {
  return std::string(class_word(classify(o)));
}

std::string run_name(const ScenarioOutcome& o, bool repeated) {
  std::string name = qualified_name(o.scenario);
  if (repeated) name += " #" + std::to_string(o.repetition + 1);
  return name;
}

bool is_repeated(const std::vector<ScenarioOutcome>& outcomes) {
  return std::any_of(outcomes.begin(), outcomes.end(),
                     [](const ScenarioOutcome& o) { return o.repetition > 0; });
}

std::string table_and_slowest(const std::vector<ScenarioOutcome>& outcomes) {
  const bool repeated = is_repeated(outcomes);
  std::vector<std::vector<std::string>> rows{{"scenario", "verdict", "to exit", "fired"}};
  for (const ScenarioOutcome& o : outcomes) {
    const auto to_exit = time_to_exit(o.result, o.verdict);
    std::string fired;
    for (const std::string& site : o.verdict.fired) fired += (fired.empty() ? "" : ", ") + site;
    rows.push_back({run_name(o, repeated), verdict_word(o),
                    to_exit ? format_duration(*to_exit) : "-", fired.empty() ? "-" : fired});
  }
  std::vector<std::size_t> widths(4, 0);
  for (const auto& row : rows) {
    for (std::size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], row[c].size());
  }
  std::string out = "\n";
  for (const auto& row : rows) {
    out += pad(row[0], widths[0]) + "  " + pad(row[1], widths[1]) + "  " + pad(row[2], widths[2]) +
           "  " + row[3] + "\n";
  }

  // Skipped runs ran nothing: their wall time says nothing about the target.
  std::vector<const ScenarioOutcome*> by_time;
  for (const ScenarioOutcome& o : outcomes) {
    if (!o.verdict.skipped) by_time.push_back(&o);
  }
  std::stable_sort(by_time.begin(), by_time.end(),
                   [](const auto* a, const auto* b) { return a->result.wall > b->result.wall; });
  if (by_time.size() > 10) by_time.resize(10);
  if (!by_time.empty()) {
    out += "\nslowest (wall time):\n";
    std::size_t name_width = 0;
    for (const auto* o : by_time) name_width = std::max(name_width, run_name(*o, repeated).size());
    for (const auto* o : by_time) {
      out += "  " + pad(run_name(*o, repeated), name_width) + "  " +
             format_duration(o->result.wall) + "\n";
    }
  }
  return out;
}

// A recap of what did not pass, last, so a CI log cut to its head and tail still names it; each
// with the command that reruns it as it ran (target, kind, version, seed).
std::string recap(const std::vector<ScenarioOutcome>& outcomes, const SummaryOptions& options) {
  const bool repeated = is_repeated(outcomes);
  std::string recap;
  for (const ScenarioOutcome& o : outcomes) {
    const std::string word = verdict_word(o);
    if (word != "FAIL" && word != "ERROR") continue;
    recap += "  " + word + "  " + run_name(o, repeated) + ": " +
             report_headline(o.result, o.verdict) + "\n";
    if (o.scenario.file.empty()) continue;
    std::string rerun =
        "superlink-harness run " + shell_word(o.scenario.file) + options.rerun_flags;
    if (const auto seed = seed_of(o.result)) rerun += " --seed " + *seed;
    recap += "         rerun: " + rerun + "\n";
  }
  return recap.empty() ? "" : "\nnot passed:\n" + recap;
}

std::string counts(const std::vector<ScenarioOutcome>& outcomes) {
  OutcomeCounts n;
  for (const ScenarioOutcome& o : outcomes) n.add(classify(o));
  std::string out = "\n";
  if (n.errors > 0) out += std::to_string(n.errors) + " harness error(s)\n";
  // A harness error is not passed: it counts as failed too.
  out += std::to_string(n.passed) + " passed, " + std::to_string(n.failed + n.errors) + " failed";
  if (n.skipped > 0) out += ", " + std::to_string(n.skipped) + " skipped";
  out += "\n";
  return out;
}

}  // namespace

std::string shell_word(const std::string& word) {
  const bool safe = !word.empty() && word.find_first_not_of(
                                         "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                         "0123456789_-./=:,+@%") == std::string::npos;
  if (safe) return word;
  std::string quoted = "'";
  for (const char c : word) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

std::optional<std::string> seed_of(const RunResult& result) {
  for (std::size_t i = 0; i + 1 < result.argv.size(); ++i) {
    if (result.argv[i] == "--seed") return result.argv[i + 1];
  }
  if (const auto it = result.env.find("SUPERLINK_SEED"); it != result.env.end()) return it->second;
  return std::nullopt;
}

std::string summary_text(const std::vector<ScenarioOutcome>& outcomes,
                         const SummaryOptions& options) {
  std::string out;
  if (outcomes.size() > 1) out += table_and_slowest(outcomes);
  out += recap(outcomes, options);
  out += counts(outcomes);
  return out;
}
}  // namespace harness::cli
