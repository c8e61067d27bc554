#include "strace_output.h"

#include <re2/re2.h>

#include <cstdlib>

namespace harness {

std::optional<StraceLine> parse_strace_line(std::string_view line) {
  static const RE2 kPrefix(R"(^(?:\[pid\s+(\d+)\] )?(?:(\d+\.\d+) )?(.*)$)");
  static const RE2 kCall(R"(^([a-z_][a-z0-9_]*)\((.*)$)");
  static const RE2 kResumed(R"(^<\.\.\. ([a-z_][a-z0-9_]*) resumed>)");
  static const RE2 kSignal(R"(^--- (SIG[A-Z0-9+]+) .*---$)");
  static const RE2 kProcess(R"(^\S*strace: Process (\d+) (attached|detached))");
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  if (line.empty()) return std::nullopt;
  StraceLine parsed;
  std::string tid;
  std::string seconds;
  if (!RE2::FullMatch(line, kPrefix, &tid, &seconds, &parsed.text)) parsed.text = line;
  if (!tid.empty()) parsed.tid = std::atol(tid.c_str());
  if (!seconds.empty()) parsed.seconds = std::strtod(seconds.c_str(), nullptr);
  const std::string_view text = parsed.text;
  std::string rest;
  std::string verb;
  if (RE2::PartialMatch(text, kProcess, &tid, &verb)) {
    parsed.kind = verb == "attached" ? StraceLine::Kind::Attached : StraceLine::Kind::Detached;
    parsed.tid = std::atol(tid.c_str());
  } else if (RE2::FullMatch(text, kSignal, &parsed.signal)) {
    parsed.kind = StraceLine::Kind::Signal;
  } else if (text.starts_with("+++ ") && text.ends_with(" +++")) {
    parsed.kind = StraceLine::Kind::Exit;
  } else if (RE2::PartialMatch(text, kResumed, &parsed.call)) {
    parsed.kind = StraceLine::Kind::Resumed;
  } else if (RE2::FullMatch(text, kCall, &parsed.call, &rest)) {
    parsed.kind = StraceLine::Kind::Call;
    parsed.unfinished = rest.ends_with("<unfinished ...>");
    const std::size_t end = rest.find_first_of(",)");
    parsed.first_argument = rest.substr(0, end == std::string::npos ? rest.size() : end);
    while (!parsed.first_argument.empty() && parsed.first_argument.back() == ' ') {
      parsed.first_argument.pop_back();
    }
  }
  if (parsed.kind == StraceLine::Kind::Call || parsed.kind == StraceLine::Kind::Resumed) {
    parsed.injected = text.ends_with(" (INJECTED)");
    parsed.delayed = text.ends_with(" (DELAYED)");
  }
  return parsed;
}

}  // namespace harness
