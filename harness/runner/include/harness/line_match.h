// FileCheck-like matching of expected lines against captured output: ordered patterns, lines
// that must not appear, and the nearest line when a pattern is missing.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/run_result.h"

namespace harness {

// One line of one stream, with its index in the whole captured log (head followed by tail).
struct NumberedLine {
  std::size_t index = 0;
  std::string_view text;
};

// The lines of `stream` in `log`, in order. The views point into `log`.
std::vector<NumberedLine> lines_of(const CapturedLog& log, Stream stream);

struct OrderedMatch {
  std::string pattern;
  std::optional<std::size_t> line;   // log index of the match; empty: not found
  std::optional<std::size_t> after;  // log index of the previous match the search started after
};

// Each pattern (ECMAScript regex, searched in the line) must match a line strictly after the
// previous pattern's match; a missing pattern leaves the position where it was. Throws
// std::regex_error for a bad pattern.
std::vector<OrderedMatch> match_in_order(const std::vector<NumberedLine>& lines,
                                         const std::vector<std::string>& patterns);

// Log indexes of every line that matches `pattern`. Throws std::regex_error.
std::vector<std::size_t> matching_lines(const std::vector<NumberedLine>& lines,
                                        const std::string& pattern);

// What a pattern says literally: escapes resolved, operators dropped. `Exit Code: 1\d\d` ->
// "Exit Code: 1".
std::string literal_text(std::string_view pattern);

// Fewest edits (insert, delete, substitute) turning `needle` into some substring of `haystack`.
std::size_t substring_distance(std::string_view needle, std::string_view haystack);

// The line closest to what `pattern` says literally (smallest substring_distance; ties go to
// the first line after `after`, then to the earliest). Empty when no line shares anything with it.
std::optional<NumberedLine> nearest_line(const std::vector<NumberedLine>& lines,
                                         std::string_view pattern,
                                         std::optional<std::size_t> after = std::nullopt);

}  // namespace harness
