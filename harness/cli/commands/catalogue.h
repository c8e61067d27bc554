// Finding and loading the scenarios a request names. A file that does not parse stops everything:
// every error is printed as FILE:LINE:COL: message and nothing runs. Selecting nothing is an
// error too (a mistyped CI path must not pass): it is said and the command exits 2.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "cli/base/backend.h"

namespace harness::cli {

// Every scenario under `paths`, or nullopt after printing each error to `err`, including
// "nothing selected" when no scenario file is found there.
std::optional<std::vector<Scenario>> load_catalogue(const std::vector<std::string>& paths,
                                                    const Backend& backend, std::ostream& err);

// The scenarios matching `filters`, sorted; nullopt after saying so when the filters keep none.
std::optional<std::vector<Scenario>> filtered(std::vector<Scenario> scenarios,
                                              const std::vector<std::string>& filters,
                                              const std::vector<std::string>& paths,
                                              std::ostream& err);

}  // namespace harness::cli
