// Private to the failpoint runtime: the fault journal (open_journal/close_journal are public).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace failpoint::internal {

// One journal line, as JSON, newline included; `parked` (pause firings only) adds
// "parked":true|false after "pid". Exposed for tests.
std::string journal_line(std::uint64_t hit, std::string_view site, std::string_view task,
                         std::string_view arg, std::string_view thread, std::uint64_t seed,
                         std::uint64_t mono_ns, long pid, std::optional<bool> parked = {});

// Appends the line for one firing with a single write(2), if a journal is open. Never throws.
void journal_firing(std::uint64_t hit, std::string_view site, std::string_view task,
                    std::string_view arg, std::optional<bool> parked = {}) noexcept;

}  // namespace failpoint::internal
