// Quoting for the printed rerun command (repro_command.h).
#pragma once

#include <string>
#include <string_view>

namespace harness {

// One word quoted for a POSIX shell: left bare when it holds only safe characters
// ([A-Za-z0-9_@%+=:,./-]), otherwise in single quotes with embedded quotes as '\''.
std::string shell_quote(std::string_view word);

}  // namespace harness
