#include "journal_reader.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <type_traits>

namespace harness {

namespace {

// A member of the type wanted, or T{} when it is missing or of another type.
template <typename T>
T member(const nlohmann::json& object, const char* key) {
  const auto it = object.find(key);
  if (it == object.end()) return T{};
  if constexpr (std::is_same_v<T, std::string>) {
    return it->is_string() ? it->get<std::string>() : T{};
  } else {
    return it->is_number_integer() ? it->get<T>() : T{};
  }
}

}  // namespace

std::vector<JournalEntry> parse_journal(std::string_view text) {
  std::vector<JournalEntry> entries;
  while (!text.empty()) {
    const std::size_t newline = text.find('\n');
    const std::string_view line = text.substr(0, newline);
    text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
    // Not throwing: a torn last line is skipped.
    const nlohmann::json doc = nlohmann::json::parse(line, nullptr, false);
    if (!doc.is_object()) continue;
    JournalEntry entry;
    entry.hit = member<std::uint64_t>(doc, "hit");
    entry.site = member<std::string>(doc, "site");
    entry.task = member<std::string>(doc, "task");
    entry.arg = member<std::string>(doc, "arg");
    entry.thread = member<std::string>(doc, "thread");
    entry.seed = member<std::uint64_t>(doc, "seed");
    entry.mono_ns = member<std::int64_t>(doc, "mono_ns");
    entry.pid = member<long>(doc, "pid");
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
