#include "output_capture.h"

#include <utility>

namespace harness {

namespace {

// What a string holds on the heap: nothing while it fits the small-string buffer (the buffer is
// part of the line's slot), else its capacity and the terminating zero.
std::size_t heap_bytes(const std::string& s) {
  return s.capacity() > std::string().capacity() ? s.capacity() + 1 : 0;
}

}  // namespace

std::size_t OutputCapture::cost(const LogLine& line) {
  return kLineOverhead + heap_bytes(line.raw) + heap_bytes(line.text);
}

std::string strip_ansi(std::string_view raw) {
  if (raw.find('\x1b') == std::string_view::npos) return std::string(raw);
  std::string text;
  text.reserve(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] != '\x1b') {
      text.push_back(raw[i]);
      continue;
    }
    if (i + 1 < raw.size() && raw[i + 1] == '[') {
      // CSI: parameter and intermediate bytes (0x20-0x3f), then one final byte (0x40-0x7e).
      std::size_t j = i + 2;
      while (j < raw.size() && raw[j] >= 0x20 && raw[j] <= 0x3f) ++j;
      i = j < raw.size() ? j : raw.size() - 1;
    } else if (i + 1 < raw.size()) {
      ++i;  // ESC followed by one byte
    }
  }
  return text;
}

OutputCapture::OutputCapture(std::size_t budget_bytes, std::function<void(const LogLine&)> on_line,
                             std::size_t max_line_bytes)
    : budget_(budget_bytes), max_line_(max_line_bytes), on_line_(std::move(on_line)) {}

void OutputCapture::feed(Stream stream, std::string_view bytes, Nanos at) {
  log_.total_bytes += bytes.size();
  Pending& line = pending(stream);
  while (!bytes.empty()) {
    const std::size_t newline = bytes.find('\n');
    const std::string_view piece = bytes.substr(0, newline);
    const std::size_t room = max_line_ - std::min(max_line_, line.bytes.size());
    const std::size_t stored = std::min(room, piece.size());
    line.bytes.append(piece.substr(0, stored));
    line.cut += piece.size() - stored;
    if (newline == std::string_view::npos) break;
    emit(stream, line, at);
    bytes.remove_prefix(newline + 1);
  }
}

void OutputCapture::finish(Stream stream, Nanos at) {
  Pending& line = pending(stream);
  if (!line.bytes.empty() || line.cut > 0) emit(stream, line, at);
}

void OutputCapture::emit(Stream stream, Pending& pending, Nanos at) {
  LogLine line;
  line.stream = stream;
  line.at = at;
  line.raw = std::move(pending.bytes);
  if (!line.raw.empty() && line.raw.back() == '\r') line.raw.pop_back();
  // A line that grew by appends may hold twice its size; kept lines hold only their bytes.
  if (line.raw.capacity() > line.raw.size() + line.raw.size() / 8) line.raw.shrink_to_fit();
  line.text = strip_ansi(line.raw);
  log_.dropped_bytes += pending.cut;
  pending = Pending{};
  if (on_line_) on_line_(line);

  const std::size_t half = budget_ / 2;
  if (!head_full_ && head_bytes_ + cost(line) <= half) {
    head_bytes_ += cost(line);
    log_.head.push_back(std::move(line));
    return;
  }
  head_full_ = true;
  tail_bytes_ += cost(line);
  tail_.push_back(std::move(line));
  while (tail_bytes_ > budget_ - half && !tail_.empty()) {
    tail_bytes_ -= cost(tail_.front());
    ++log_.dropped_lines;
    log_.dropped_bytes += tail_.front().raw.size() + 1;
    tail_.pop_front();
  }
}

CapturedLog OutputCapture::take() {
  CapturedLog log = std::move(log_);
  log.tail.assign(std::make_move_iterator(tail_.begin()), std::make_move_iterator(tail_.end()));
  log_ = CapturedLog{};
  tail_.clear();
  head_bytes_ = tail_bytes_ = 0;
  head_full_ = false;
  return log;
}

}  // namespace harness
