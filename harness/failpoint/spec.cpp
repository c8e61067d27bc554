#include "spec.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <unordered_set>

#include "failpoint/failpoint.h"

namespace failpoint::internal {
namespace {

constexpr std::uint64_t kMaxDurationMs = 86'400'000;  // one day

struct TaskSpelling {
  std::string_view name;
  Task task;
};
constexpr std::array<TaskSpelling, 11> kTasks{{
    {"off", Task::kOff},
    {"return", Task::kReturn},
    {"sleep", Task::kSleep},
    {"panic", Task::kPanic},
    {"print", Task::kPrint},
    {"pause", Task::kPause},
    {"yield", Task::kYield},
    {"delay", Task::kDelay},
    {"abort", Task::kAbort},
    {"segv", Task::kSegv},
    {"exit", Task::kExit},
}};

std::string quoted(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out.append(1, '\'').append(s).append(1, '\'');
  return out;
}

[[noreturn]] void fail(std::string_view site, const std::string& what) {
  throw SpecError("failpoint " + quoted(site) + ": " + what);
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A decimal number without sign or exponent: "20", "0.5", ".5", "100.".
bool plain_decimal(std::string_view s) {
  const auto dot = s.find('.');
  if (dot == std::string_view::npos) return all_digits(s);
  const auto whole = s.substr(0, dot);
  const auto frac = s.substr(dot + 1);
  if (whole.empty() && frac.empty()) return false;
  return (whole.empty() || all_digits(whole)) && (frac.empty() || all_digits(frac));
}

// Parses an unsigned whole number; nullopt when it does not fit.
std::optional<std::uint64_t> to_u64(std::string_view digits) {
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  return value;
}

Action parse_action(std::string_view site, std::string_view text) {
  const std::string in_action = " in action " + quoted(text);
  Action action;
  std::string_view rest = text;

  // The argument first, so that '%' and '*' may appear inside it.
  if (const auto open = rest.find('('); open != std::string_view::npos) {
    const auto tail = rest.substr(open + 1);
    if (tail.empty() || tail.back() != ')') {
      if (tail.find(')') != std::string_view::npos) fail(site, "text after ')'" + in_action);
      fail(site, "missing ')'" + in_action);
    }
    action.arg = std::string(tail.substr(0, tail.size() - 1));
    rest = rest.substr(0, open);
  }

  if (const auto pct = rest.find('%'); pct != std::string_view::npos) {
    const auto p = trim(rest.substr(0, pct));
    const std::string shown = quoted(std::string(p) + "%");
    if (!plain_decimal(p))
      fail(site, "probability " + shown + " is not a number from 0 to 100" + in_action);
    double value = 0;
    const auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), value);
    if (ec != std::errc() || end != p.data() + p.size()) {
      fail(site, "probability " + shown + " is not a number from 0 to 100" + in_action);
    }
    if (value > 100.0) fail(site, "probability " + shown + " is over 100%" + in_action);
    action.percent = value;
    rest = rest.substr(pct + 1);
  }

  if (const auto star = rest.find('*'); star != std::string_view::npos) {
    const auto n = trim(rest.substr(0, star));
    if (!all_digits(n)) fail(site, "count " + quoted(n) + " is not a whole number" + in_action);
    const auto value = to_u64(n);
    if (!value) fail(site, "count " + quoted(n) + " is too large" + in_action);
    action.count = *value;
    rest = rest.substr(star + 1);
  }

  const auto name = trim(rest);
  if (name.empty()) fail(site, "missing task" + in_action);
  const auto* spelling = std::find_if(kTasks.begin(), kTasks.end(),
                                      [&](const TaskSpelling& t) { return t.name == name; });
  if (spelling == kTasks.end()) {
    std::string known;
    for (const auto& t : kTasks) known += (known.empty() ? "" : ", ") + std::string(t.name);
    fail(site, "unknown task " + quoted(name) + in_action + " (tasks: " + known + ")");
  }
  action.task = spelling->task;

  switch (action.task) {
    case Task::kReturn:
    case Task::kPanic:
    case Task::kPrint:
      break;
    case Task::kSleep:
    case Task::kDelay: {
      if (!action.arg) {
        fail(site, "task " + quoted(name) + " needs a duration in milliseconds, as in " +
                       std::string(name) + "(100)");
      }
      const auto ms = trim(*action.arg);
      if (!all_digits(ms)) {
        fail(site, "duration " + quoted(ms) + " is not a whole number of milliseconds" + in_action);
      }
      const auto value = to_u64(ms);
      if (!value || *value > kMaxDurationMs) {
        fail(site, "duration " + quoted(ms) + " is over one day (86400000 ms)" + in_action);
      }
      action.number = *value;
      break;
    }
    case Task::kExit: {
      if (!action.arg) fail(site, "task 'exit' needs a status from 0 to 255, as in exit(3)");
      const auto status = trim(*action.arg);
      const auto value = all_digits(status) ? to_u64(status) : std::nullopt;
      if (!value || *value > 255) {
        fail(site,
             "exit status " + quoted(status) + " is not a whole number from 0 to 255" + in_action);
      }
      action.number = *value;
      break;
    }
    case Task::kOff:
    case Task::kPause:
    case Task::kYield:
    case Task::kAbort:
    case Task::kSegv:
      if (action.arg) fail(site, "task " + quoted(name) + " takes no argument" + in_action);
      break;
  }
  return action;
}

}  // namespace

std::string_view trim(std::string_view s) {
  constexpr std::string_view kSpace = " \t\r\n\v\f";
  const auto first = s.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(kSpace);
  return s.substr(first, last - first + 1);
}

std::string_view task_name(Task task) {
  for (const auto& t : kTasks) {
    if (t.task == task) return t.name;
  }
  return "?";
}

std::vector<Action> parse_actions(std::string_view site, std::string_view actions) {
  const auto all = trim(actions);
  if (all.empty()) fail(site, "no actions given");
  std::vector<Action> parsed;
  std::string_view rest = all;
  while (true) {
    const auto arrow = rest.find("->");
    const auto piece = trim(rest.substr(0, arrow));
    if (piece.empty()) fail(site, "empty action in " + quoted(all));
    parsed.push_back(parse_action(site, piece));
    if (arrow == std::string_view::npos) break;
    rest = rest.substr(arrow + 2);
  }
  return parsed;
}

std::vector<SpecPart> split_spec(std::string_view spec) {
  std::vector<SpecPart> parts;
  std::string_view rest = spec;
  while (true) {
    const auto semi = rest.find(';');
    const auto entry = trim(rest.substr(0, semi));
    if (!entry.empty()) {
      const auto eq = entry.find('=');
      if (eq == std::string_view::npos) {
        parts.push_back({entry, entry, {}, false});
      } else {
        parts.push_back({entry, trim(entry.substr(0, eq)), trim(entry.substr(eq + 1)), true});
      }
    }
    if (semi == std::string_view::npos) break;
    rest = rest.substr(semi + 1);
  }
  return parts;
}

std::vector<SpecEntry> parse_spec(std::string_view spec) {
  std::vector<SpecEntry> entries;
  std::unordered_set<std::string> seen;
  for (const SpecPart& part : split_spec(spec)) {
    if (!part.has_equals) {
      throw SpecError("failpoint spec " + quoted(part.entry) + ": expected NAME=ACTIONS");
    }
    if (part.name.empty()) fail(part.name, "empty site name in entry " + quoted(part.entry));
    if (!seen.insert(std::string(part.name)).second) fail(part.name, "given twice in one spec");
    entries.push_back({std::string(part.name), std::string(part.actions),
                       parse_actions(part.name, part.actions)});
  }
  return entries;
}

}  // namespace failpoint::internal
