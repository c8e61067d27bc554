// Private to the failpoint runtime: the parsed form of a specification.
//
// Grammar (tikv/fail-rs's): spec = entry (';' entry)*, entry = NAME '=' actions,
// actions = action ('->' action)*, action = [p%][N*]task[(arg)]. Whitespace around every piece
// is trimmed; an argument is kept as written.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace failpoint::internal {

enum class Task {
  kOff,
  kReturn,
  kSleep,
  kPanic,
  kPrint,
  kPause,
  kYield,
  kDelay,
  kAbort,
  kSegv,
  kExit
};

// `s` without the whitespace around it.
std::string_view trim(std::string_view s);

// The name a task has in the grammar and in the journal ("off", "return", ...).
std::string_view task_name(Task task);

struct Action {
  Task task = Task::kOff;
  // 0 to 100; 100 means "always".
  double percent = 100.0;
  // How many times this action may yield; none means "every time".
  std::optional<std::uint64_t> count;
  // As written between the parentheses; none when there were none.
  std::optional<std::string> arg;
  // sleep and delay: milliseconds; exit: the status.
  std::uint64_t number = 0;
};

// Parses `actions` ("3*off->panic(boom)") for `site` (used in messages only). Throws SpecError.
std::vector<Action> parse_actions(std::string_view site, std::string_view actions);

struct SpecEntry {
  std::string site;
  std::string actions_text;  // trimmed
  std::vector<Action> actions;
};

// Parses a whole spec ("a=...;b=..."): grammar only, no declared-site check. Empty entries are
// skipped; a site given twice is an error. Throws SpecError.
std::vector<SpecEntry> parse_spec(std::string_view spec);

// The split parse_spec makes, without checking anything: each non-empty entry (trimmed), its
// name (trimmed; the whole entry when it has no '=') and whether it had an '='.
struct SpecPart {
  std::string_view entry, name, actions;
  bool has_equals = false;
};
std::vector<SpecPart> split_spec(std::string_view spec);

}  // namespace failpoint::internal
