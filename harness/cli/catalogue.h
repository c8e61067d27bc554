// Finding and loading the scenarios a request names. A file that does not parse stops everything:
// every error is printed as FILE:LINE:COL: message and nothing runs.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "backend.h"

namespace harness::cli {

// Every scenario under `paths`, or nullopt after printing each error to `err`.
std::optional<std::vector<Scenario>> load_catalogue(const std::vector<std::string>& paths,
                                                    const Backend& backend, std::ostream& err);

}  // namespace harness::cli
