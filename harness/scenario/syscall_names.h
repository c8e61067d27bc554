// The names a scenario's `syscall.call` may use: the machine's system calls, the families one
// name covers (a runtime may call any variant: the C++ mock `accept`, Python `accept4`), and the
// errno names of `syscall.error`.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/scenario.h"

namespace harness {

// Every system call name of x86_64 Linux (asm/unistd_64.h), sorted.
const std::vector<std::string_view>& syscall_names();

// The calls `name` stands for: itself, and the variants when it heads a family ("accept" ->
// accept, accept4); empty when it is no system call.
std::vector<std::string> syscall_family(std::string_view name);

// The family heads with their variants, for docs and messages: "accept (accept4)", ...
std::vector<std::string> syscall_families();

// The errno names glibc knows ("EIO", "EAGAIN", ...), sorted.
const std::vector<std::string>& errno_names();

// The errno number of `name` ("EIO" -> 5).
std::optional<int> errno_number(std::string_view name);

// How reports and the journal name a fault's effect ("EIO", "= 0", "delayed 300 ms", "SIGUSR1")
// and its thread ("scheduler", "rest", "any", "/REGEX/").
std::string syscall_effect_name(const SyscallFault& fault);
std::string syscall_thread_name(const SyscallFault& fault);

}  // namespace harness
