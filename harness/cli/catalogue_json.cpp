#include "catalogue_json.h"

#include "failpoint/json_string.h"

namespace harness::cli {

std::string catalogue_json(const std::vector<Scenario>& scenarios) {
  std::string out = "[";
  for (std::size_t i = 0; i < scenarios.size(); ++i) {
    const Scenario& s = scenarios[i];
    out += i == 0 ? "\n  {\"name\": " : ",\n  {\"name\": ";
    failpoint::append_json_string(out, s.name);
    out += ", \"group\": ";
    failpoint::append_json_string(out, s.group);
    out += ", \"file\": ";
    failpoint::append_json_string(out, s.file);
    out += ", \"labels\": [";
    for (std::size_t j = 0; j < s.labels.size(); ++j) {
      if (j > 0) out += ", ";
      failpoint::append_json_string(out, s.labels[j]);
    }
    out += "], \"timeout_ms\": " + std::to_string(s.timeout.count()) + ", \"description\": ";
    failpoint::append_json_string(out, s.description);
    out += "}";
  }
  out += scenarios.empty() ? "]\n" : "\n]\n";
  return out;
}

}  // namespace harness::cli
