// The persona's command line: Flower 1.18's `flower-superlink` flags only, parsed and refused as
// Python's argparse does (prefix abbreviations, `usage:` then `flower-superlink: error: ...`,
// status 2). No mock-only flag exists here: those come from the environment.
#pragma once

#include <string_view>

#include "superlink/options.h"

namespace superlink {

// True when the program was started under Flower's name (the basename of argv[0]).
bool started_as_persona(std::string_view argv0);

// The usage lines argparse prints for the real parser (80-column terminal), ending in '\n'.
extern const char* const kPersonaUsage;

// kRun with Flower's statuses and `persona` set, kPrint for -h/--help, kUsageError with
// argparse's text otherwise.
ParseResult parse_persona_options(int argc, const char* const* argv);

}  // namespace superlink
