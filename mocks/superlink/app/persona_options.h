// The persona's command line: the `flower-superlink` flags of the version it imitates, and only
// those, parsed and refused as Python's argparse does (prefix abbreviations, `usage:` then
// `flower-superlink: error: ...`, status 2). No mock-only flag exists here: those come from the
// environment.
#pragma once

#include <string>
#include <string_view>

#include "superlink/app/options.h"

namespace superlink {

// True when the program was started under Flower's name (the basename of argv[0]).
bool started_as_persona(std::string_view argv0);

// The usage lines argparse prints for the active version's real parser (80-column terminal),
// ending in '\n'.
std::string persona_usage();

// kRun with Flower's statuses and `persona` set, kPrint for -h/--help, kUsageError with
// argparse's text otherwise.
ParseResult parse_persona_options(int argc, const char* const* argv);

}  // namespace superlink
