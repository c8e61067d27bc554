// The target's output, split into lines and kept within a memory budget (head + tail).
#pragma once

#include <cstddef>
#include <deque>
#include <functional>
#include <string>
#include <string_view>

#include "harness/run_result.h"

namespace harness {

// `raw` without ANSI escape sequences (CSI `ESC [ ... final byte` and two-byte `ESC x`).
std::string strip_ansi(std::string_view raw);

// Collects the lines of both streams in arrival order. The first lines fill the head (half the
// budget); later lines go to a tail that forgets its oldest lines to stay within the other half.
// A line's cost is what it really holds in memory: its heap bytes (raw and text) plus
// kLineOverhead, so that empty and one-byte lines count too. A line longer than
// `max_line_bytes` keeps only its first `max_line_bytes` bytes; the rest counts as dropped.
// Expectations are matched on the kept lines only: a line that fell out of the middle of a
// flood is not seen by the verdict.
class OutputCapture {
 public:
  static constexpr std::size_t kMaxLineBytes = 64 * 1024;
  // The line's slot, twice (a vector's spare capacity after it grows), and the allocator's
  // headers of its two strings.
  static constexpr std::size_t kLineOverhead = 2 * sizeof(LogLine) + 2 * 16;
  // The budget's charge for `line`.
  static std::size_t cost(const LogLine& line);

  OutputCapture(std::size_t budget_bytes, std::function<void(const LogLine&)> on_line,
                std::size_t max_line_bytes = kMaxLineBytes);

  // Bytes read from `stream` at `at` since spawn.
  void feed(Stream stream, std::string_view bytes, Nanos at);
  // End of `stream`: a partial last line is kept as a line.
  void finish(Stream stream, Nanos at);

  // The log so far; the capture is empty afterwards.
  CapturedLog take();
  std::size_t kept_bytes() const { return head_bytes_ + tail_bytes_; }

 private:
  struct Pending {
    std::string bytes;
    std::size_t cut = 0;  // bytes beyond max_line_bytes, not stored
  };
  void emit(Stream stream, Pending& pending, Nanos at);
  Pending& pending(Stream stream) { return stream == Stream::Stdout ? out_ : err_; }

  std::size_t budget_;
  std::size_t max_line_;
  std::function<void(const LogLine&)> on_line_;
  Pending out_;
  Pending err_;
  CapturedLog log_;
  std::deque<LogLine> tail_;
  std::size_t head_bytes_ = 0;
  std::size_t tail_bytes_ = 0;
  bool head_full_ = false;
};

}  // namespace harness
