// FileCheck-like matching of expected lines against captured output: ordered patterns, lines
// that must not appear, and the nearest line when a pattern is missing.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace re2 {
class RE2;
}

namespace harness {

// One line of one stream, with its index in the whole captured log (head followed by tail).
struct NumberedLine {
  std::size_t index = 0;
  std::string_view text;
};

// Expectations are RE2 patterns (linear time, no recursion: any line length is safe), searched
// anywhere in the line. Longer patterns are refused before RE2 compiles them.
inline constexpr std::size_t kMaxPatternBytes = 4096;

// Why RE2 refuses a pattern, and where: `offset` is the byte in the pattern where the refused
// construct starts (0 when RE2 does not say).
struct PatternProblem {
  std::string message;  // "back-reference \\1: RE2 has no back-references"
  std::size_t offset = 0;
};

// Nothing when `pattern` is usable; otherwise what is wrong, naming the construct RE2 lacks
// (back-references, look-around, possessive repetition) or repeating RE2's own message.
std::optional<PatternProblem> pattern_problem(std::string_view pattern);

// Thrown by the matching functions below for a pattern pattern_problem() refuses.
class PatternError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// `pattern` compiled, once per process whoever asks (the loader's check, each run, the verdict);
// safe to match with from any thread. Throws PatternError.
std::shared_ptr<const re2::RE2> compiled_pattern(std::string_view pattern);

// Whether `pattern` matches somewhere in `text`. Throws PatternError.
bool pattern_found(std::string_view pattern, std::string_view text);

struct OrderedMatch {
  std::string pattern;
  std::optional<std::size_t> line;   // log index of the match; empty: not found
  std::optional<std::size_t> after;  // log index of the previous match the search started after
};

// Each pattern must match a line strictly after the previous pattern's match; a missing pattern
// leaves the position where it was. Throws PatternError for a bad pattern.
std::vector<OrderedMatch> match_in_order(const std::vector<NumberedLine>& lines,
                                         const std::vector<std::string>& patterns);

// Log indexes of every line that matches `pattern`. Throws PatternError.
std::vector<std::size_t> matching_lines(const std::vector<NumberedLine>& lines,
                                        const std::string& pattern);

// What a pattern says literally: escapes resolved, operators dropped. `Exit Code: 1\d\d` ->
// "Exit Code: 1".
std::string literal_text(std::string_view pattern);

// The line closest to what `pattern` says literally (fewest edits into some part of the line; ties
// go to the first line after `after`, then to the earliest). Empty when no line shares anything
// with it.
std::optional<NumberedLine> nearest_line(const std::vector<NumberedLine>& lines,
                                         std::string_view pattern,
                                         std::optional<std::size_t> after = std::nullopt);

}  // namespace harness
