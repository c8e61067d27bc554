#include "harness/line_match.h"

#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <memory>
#include <mutex>

#include "edit_distance.h"

namespace harness {

namespace {

RE2::Options quiet_options() {
  RE2::Options options;
  options.set_log_errors(false);  // refusals are reported by the caller, not on stderr
  return options;
}

// RE2's message for what it refuses, turned into the construct a Perl or ECMAScript writer used.
PatternProblem explain(std::string_view pattern, const RE2& re) {
  const std::string& arg = re.error_arg();
  const auto at = pattern.find(arg);
  PatternProblem problem{re.error(), at == std::string_view::npos ? 0 : at};
  const auto followed_by = [&](std::string_view next) {
    return at != std::string_view::npos && pattern.substr(at + arg.size(), next.size()) == next;
  };
  if (arg.size() == 2 && arg[0] == '\\' && std::isdigit(static_cast<unsigned char>(arg[1]))) {
    problem.message = "back-reference " + arg + ": RE2 has no back-references";
  } else if (arg == "\\k" || arg == "\\g") {
    problem.message = "named back-reference " + arg + ": RE2 has no back-references";
  } else if (arg == "(?=" || arg == "(?!") {
    problem.message = "look-ahead " + arg + ": RE2 has no look-around";
  } else if (arg == "(?<" && (followed_by("=") || followed_by("!"))) {
    problem.message = "look-behind " + arg + pattern[at + arg.size()] + ": RE2 has no look-around";
  } else if (arg == "(?<") {
    problem.message = "named group (?<name>: write (?P<name>...) for RE2";
  } else if (arg.size() == 2 && arg[1] == '+' &&
             std::string_view("*+?}").find(arg[0]) != std::string_view::npos) {
    problem.message = "possessive repetition " + arg + ": RE2 has none";
  }
  return problem;
}

// Each pattern is compiled once per process: the loader checks it, every run of the scenario
// (--repeat) matches with it and the verdict judges with it. A catalogue holds a few hundred;
// the bound only keeps a generated flood of distinct patterns from growing without end.
std::shared_ptr<const RE2> cached(std::string_view pattern) {
  static std::mutex mutex;
  static std::map<std::string, std::shared_ptr<const RE2>, std::less<>> patterns;
  constexpr std::size_t kMaxCached = 4096;
  std::lock_guard lock(mutex);
  if (const auto found = patterns.find(pattern); found != patterns.end()) return found->second;
  if (patterns.size() >= kMaxCached) patterns.clear();
  auto re = std::make_shared<const RE2>(re2::StringPiece(pattern.data(), pattern.size()),
                                        quiet_options());
  patterns.emplace(std::string(pattern), re);
  return re;
}

bool search(const RE2& re, std::string_view text) {
  return RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), re);
}

}  // namespace

std::optional<PatternProblem> pattern_problem(std::string_view pattern) {
  if (pattern.size() > kMaxPatternBytes) {
    return PatternProblem{"the pattern is " + std::to_string(pattern.size()) + " bytes, over " +
                              std::to_string(kMaxPatternBytes),
                          kMaxPatternBytes};
  }
  const auto re = cached(pattern);
  if (re->ok()) return std::nullopt;
  return explain(pattern, *re);
}

std::shared_ptr<const RE2> compiled_pattern(std::string_view pattern) {
  if (const auto problem = pattern_problem(pattern)) throw PatternError(problem->message);
  return cached(pattern);
}

bool pattern_found(std::string_view pattern, std::string_view text) {
  return search(*compiled_pattern(pattern), text);
}

std::vector<OrderedMatch> match_in_order(const std::vector<NumberedLine>& lines,
                                         const std::vector<std::string>& patterns) {
  std::vector<OrderedMatch> matches;
  std::size_t next = 0;  // position in `lines` where the next search starts
  std::optional<std::size_t> previous;
  for (const std::string& pattern : patterns) {
    const auto re = compiled_pattern(pattern);
    OrderedMatch match{pattern, std::nullopt, previous};
    for (std::size_t i = next; i < lines.size(); ++i) {
      if (search(*re, lines[i].text)) {
        match.line = lines[i].index;
        previous = lines[i].index;
        next = i + 1;
        break;
      }
    }
    matches.push_back(std::move(match));
  }
  return matches;
}

std::vector<std::size_t> matching_lines(const std::vector<NumberedLine>& lines,
                                        const std::string& pattern) {
  const auto re = compiled_pattern(pattern);
  std::vector<std::size_t> found;
  for (const NumberedLine& line : lines) {
    if (search(*re, line.text)) found.push_back(line.index);
  }
  return found;
}

std::string literal_text(std::string_view pattern) {
  static constexpr std::string_view kOperators = "^$.*+?()[]{}|";
  std::string text;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '\\' && i + 1 < pattern.size()) {
      const char escaped = pattern[++i];
      // `\.` is a literal dot; `\d`, `\s`, `\b`... are classes, which say nothing literal.
      if (!std::isalnum(static_cast<unsigned char>(escaped))) text += escaped;
      continue;
    }
    if (c == '{') {  // a repeat count such as {2,3}: skip it whole
      const auto close = pattern.find('}', i);
      if (close != std::string_view::npos) i = close;
      continue;
    }
    if (kOperators.find(c) == std::string_view::npos) text += c;
  }
  return text;
}

std::optional<NumberedLine> nearest_line(const std::vector<NumberedLine>& lines,
                                         std::string_view pattern,
                                         std::optional<std::size_t> after) {
  const std::string literal = literal_text(pattern);
  std::optional<NumberedLine> best;
  std::size_t best_distance = literal.size();  // a line must share something with the pattern
  bool best_is_after = false;
  for (const NumberedLine& line : lines) {
    const std::size_t distance =
        internal::edit_distance(literal, line.text, internal::Fit::Substring);
    const bool is_after = !after || line.index > *after;
    if (distance < best_distance ||
        (distance == best_distance && best && is_after && !best_is_after)) {
      best = line;
      best_distance = distance;
      best_is_after = is_after;
    }
  }
  return best;
}

}  // namespace harness
