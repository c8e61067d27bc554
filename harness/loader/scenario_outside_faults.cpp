#include "scenario_outside_faults.h"

#include <algorithm>
#include <map>

#include "flower_api/fleet_api_names.h"

namespace harness {

const std::vector<std::string>& outside_sites() {
  static const std::vector<std::string> sites = [] {
    std::vector<std::string> all;
    for (std::string_view fault : internal::kDatabaseFaults) {
      all.push_back("outside.database." + std::string(fault));
    }
    for (std::string_view verb : {"occupy", "release"}) {
      for (std::string_view port : superlink_api::kApiPorts) {
        all.push_back("outside." + std::string(verb) + "." + std::string(port));
      }
    }
    all.emplace_back("outside.run");
    all.emplace_back("outside.syscall");
    return all;
  }();
  return sites;
}

namespace internal {

void read_outside_fault(const Reader& reader, const toml::table& table, std::string_view key,
                        const std::string& prefix, const TargetSpec& target, Event& event) {
  const toml::node& node = *table.get(key);
  const std::string name = prefix + "." + std::string(key);
  if (key == "database") {
    event.action = DatabaseEvent{reader.one_of(node, name, kDatabaseFaults)};
    if (target.database != "file") {
      reader.fail(node.source(), "'" + name +
                                     "' needs 'superlink.database = \"file\"': without it the "
                                     "run has no database file to damage");
    }
  } else if (key == "occupy") {
    event.action = OccupyEvent{reader.one_of(node, name, superlink_api::kApiPorts)};
  } else if (key == "release") {
    event.action = ReleaseEvent{reader.one_of(node, name, superlink_api::kApiPorts)};
  } else {
    RunEvent run{reader.strings(node, name)};
    if (run.argv.empty()) reader.fail(node.source(), "'" + name + "' is empty");
    event.action = std::move(run);
  }
  // Done once, on the run's single database and ports: a repetition could only fail.
  if (key != "run" && table.contains("count")) {
    reader.fail(reader.key_source(table, "count"),
                "'" + prefix + ".count' does not apply to '" + std::string(key) +
                    "': the fault is done once (write another event to do it again)");
  }
}

void check_outside_order(const Reader& reader, const toml::array& nodes,
                         const std::vector<Event>& events) {
  std::optional<std::size_t> locked_by;
  std::map<std::string, std::size_t> occupied_by;
  for (std::size_t i = 0; i < events.size() && i < nodes.size(); ++i) {
    const Event& event = events[i];
    const std::string prefix = "events[" + std::to_string(i) + "]";
    const toml::table& table = *nodes[i].as_table();
    const auto* database = event.as<DatabaseEvent>();
    if (database && database->fault == "lock") {
      if (locked_by) {
        reader.fail(table.get("database")->source(),
                    "'" + prefix + ".database' locks the database again: the harness holds the " +
                        "lock of events[" + std::to_string(*locked_by) + "] (unlock it first)");
      }
      locked_by = i;
    } else if (database && database->fault == "unlock") {
      if (!locked_by) {
        reader.fail(table.get("database")->source(),
                    "'" + prefix + ".database' unlocks, but no earlier event locks the database");
      }
      locked_by.reset();
    } else if (const auto* occupy = event.as<OccupyEvent>()) {
      if (const auto it = occupied_by.find(occupy->port); it != occupied_by.end()) {
        reader.fail(table.get("occupy")->source(), "'" + prefix + ".occupy' takes " +
                                                       in_quotes(occupy->port) + " again: events[" +
                                                       std::to_string(it->second) + "] holds it");
      }
      occupied_by[occupy->port] = i;
    } else if (const auto* release = event.as<ReleaseEvent>()) {
      if (occupied_by.erase(release->port) == 0) {
        reader.fail(table.get("release")->source(), "'" + prefix + ".release' gives back " +
                                                        in_quotes(release->port) +
                                                        ", which no earlier event occupies");
      }
    }
  }
}

std::optional<std::string> outside_site_problem(std::string_view site,
                                                const std::vector<Event>& events) {
  const auto& known = outside_sites();
  if (std::find(known.begin(), known.end(), site) == known.end()) {
    std::string problem = "which is not an outside fault";
    if (auto suggestion = closest(site, known)) {
      problem += "; did you mean '" + std::string(*suggestion) + "'?";
    } else {
      problem += " (known: " + join(known) + ")";
    }
    return problem;
  }
  for (const Event& event : events) {
    if (outside_site(event) == site) return std::nullopt;
  }
  return "which no event of the scenario does: it can never fire";
}

}  // namespace internal
}  // namespace harness
