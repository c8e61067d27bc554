// `list` and `check`: read the catalogue, run nothing.
#include <algorithm>

#include "catalogue.h"
#include "cli.h"
#include "commands.h"
#include "harness/scenario_set.h"

namespace harness::cli {

int list_command(const Request& request, const Backend& backend, Streams streams) {
  auto scenarios = load_catalogue(request.paths, backend, streams.err);
  if (!scenarios) return kExitError;
  const auto matching =
      filtered(std::move(*scenarios), request.filters, request.paths, streams.err);
  if (!matching) return kExitError;
  const std::vector<Scenario>& selected = *matching;
  std::size_t name_width = 4;
  std::size_t group_width = 5;
  for (const Scenario& s : selected) {
    name_width = std::max(name_width, s.name.size());
    group_width = std::max(group_width, s.group.size());
  }
  auto row = [&](const std::string& name, const std::string& group, const std::string& about) {
    std::string line = name + std::string(name_width - name.size() + 2, ' ') + group +
                       std::string(group_width - group.size() + 2, ' ') + about;
    while (!line.empty() && line.back() == ' ') line.pop_back();
    streams.out << line << "\n";
  };
  row("name", "group", "description");
  for (const Scenario& s : selected) row(s.name, s.group, s.description);
  return kExitPass;
}

int check_command(const Request& request, const Backend& backend, Streams streams) {
  const auto scenarios = load_catalogue(request.paths, backend, streams.err);
  if (!scenarios) return kExitError;
  streams.out << scenarios->size() << (scenarios->size() == 1 ? " scenario" : " scenarios")
              << " parsed, no errors\n";
  return kExitPass;
}

}  // namespace harness::cli
