#include "journal_reader.h"

#include <charconv>
#include <fstream>
#include <sstream>

#include "ready_json.h"

namespace harness {

namespace {

template <typename T>
T number_member(const JsonValue& object, std::string_view key) {
  T value{};
  const JsonValue* member = object.find(key);
  if (member != nullptr && member->kind == JsonValue::Kind::Number) {
    std::from_chars(member->text.data(), member->text.data() + member->text.size(), value);
  }
  return value;
}

std::string string_member(const JsonValue& object, std::string_view key) {
  const JsonValue* member = object.find(key);
  if (member == nullptr || member->kind == JsonValue::Kind::Null) return {};
  return member->text;
}

}  // namespace

std::vector<JournalEntry> parse_journal(std::string_view text) {
  std::vector<JournalEntry> entries;
  while (!text.empty()) {
    const std::size_t newline = text.find('\n');
    const std::string_view line = text.substr(0, newline);
    text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
    const std::optional<JsonValue> doc = parse_json(line);
    if (!doc || doc->kind != JsonValue::Kind::Object) continue;
    JournalEntry entry;
    entry.hit = number_member<std::uint64_t>(*doc, "hit");
    entry.site = string_member(*doc, "site");
    entry.task = string_member(*doc, "task");
    entry.arg = string_member(*doc, "arg");
    entry.thread = string_member(*doc, "thread");
    entry.seed = number_member<std::uint64_t>(*doc, "seed");
    entry.mono_ns = number_member<std::int64_t>(*doc, "mono_ns");
    entry.pid = number_member<long>(*doc, "pid");
    entries.push_back(std::move(entry));
  }
  return entries;
}

std::vector<JournalEntry> read_journal(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  std::ostringstream text;
  text << in.rdbuf();
  return parse_journal(text.str());
}

}  // namespace harness
