#include "catalogue_json.h"

#include <nlohmann/json.hpp>

namespace harness::cli {

std::string catalogue_json(const std::vector<Scenario>& scenarios) {
  // One scenario per line, keys in a fixed order: readable in a diff, easy for CMake's
  // string(JSON) to read.
  std::string out = "[";
  for (std::size_t i = 0; i < scenarios.size(); ++i) {
    const Scenario& s = scenarios[i];
    nlohmann::ordered_json entry;
    entry["name"] = s.name;
    entry["group"] = s.group;
    entry["file"] = s.file;
    entry["labels"] = s.labels;
    entry["timeout_ms"] = s.timeout.count();
    entry["description"] = s.description;
    out += (i == 0 ? "\n  " : ",\n  ") +
           entry.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  out += scenarios.empty() ? "]\n" : "\n]\n";
  return out;
}

}  // namespace harness::cli
