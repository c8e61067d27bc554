#include "repro_command.h"

#include <array>
#include <string_view>

#include "shell_quote.h"

namespace harness {
namespace {

bool is_safe(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  constexpr std::string_view kSafe = "_@%+=:,./-";
  return kSafe.find(c) != std::string_view::npos;
}

// Flags whose value is a path in the run's temporary directory, and the stand-in used instead.
struct TempPathFlag {
  std::string_view flag;
  std::string_view replacement;
};
constexpr std::array<TempPathFlag, 2> kTempPathFlags{{
    {"--ready-file", "./ready.json"},
    {"--fault-journal", "./fault-journal.jsonl"},
}};

// The same two paths, as a custom target receives them.
constexpr std::array<TempPathFlag, 2> kTempPathVariables{{
    {"SUPERLINK_READY_FILE", "./ready.json"},
    {"SUPERLINK_FAULT_JOURNAL", "./fault-journal.jsonl"},
}};

// The run's folder is gone after the run: a rerun uses the current one.
std::string in_current_folder(std::string_view word, const std::string& work_dir) {
  if (work_dir.empty()) return std::string(word);
  std::string out;
  std::size_t from = 0;
  for (auto at = word.find(work_dir); at != std::string_view::npos;
       at = word.find(work_dir, from)) {
    const std::size_t end = at + work_dir.size();
    if (end < word.size() && word[end] != '/') {
      out += word.substr(from, end - from);
    } else {
      out += word.substr(from, at - from);
      out += '.';
    }
    from = end;
  }
  out += word.substr(from);
  return out;
}

}  // namespace

std::string shell_quote(std::string_view word) {
  if (word.empty()) return "''";
  bool safe = true;
  for (char c : word) safe = safe && is_safe(c);
  if (safe) return std::string(word);
  std::string out = "'";
  for (char c : word) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  out += '\'';
  return out;
}

std::string repro_command(const RunResult& result) {
  std::string out;
  for (const auto& [name, value] : result.env) {
    std::string_view shown = value;
    for (const TempPathFlag& v : kTempPathVariables) {
      if (name == v.flag) shown = v.replacement;
    }
    out += name;
    out += '=';
    out += shell_quote(in_current_folder(shown, result.work_dir));
    out += ' ';
  }
  std::string_view pending_replacement;  // set when the previous word was a temp-path flag
  bool first = true;
  for (const std::string& word : result.argv) {
    std::string shown = word;
    if (!pending_replacement.empty()) {
      shown = std::string(pending_replacement);
      pending_replacement = {};
    } else {
      for (const TempPathFlag& f : kTempPathFlags) {
        if (word == f.flag) {
          pending_replacement = f.replacement;
        } else if (word.size() > f.flag.size() && word.starts_with(f.flag) &&
                   word[f.flag.size()] == '=') {
          shown = std::string(f.flag) + "=" + std::string(f.replacement);
        }
      }
    }
    if (!first) out += ' ';
    first = false;
    out += shell_quote(in_current_folder(shown, result.work_dir));
  }
  return out;
}

}  // namespace harness
