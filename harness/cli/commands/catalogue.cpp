#include "catalogue.h"

#include <exception>
#include <filesystem>

#include "selection/scenario_set.h"

namespace harness::cli {
namespace {

std::string quoted_list(const std::vector<std::string>& words) {
  std::string text;
  for (const std::string& word : words) text += (text.empty() ? "'" : ", '") + word + "'";
  return text;
}

}  // namespace

std::optional<std::vector<Scenario>> load_catalogue(const std::vector<std::string>& paths,
                                                    const Backend& backend, std::ostream& err) {
  std::vector<std::filesystem::path> files;
  try {
    files = backend.find({paths.begin(), paths.end()});
  } catch (const std::exception& e) {
    err << e.what() << "\n";
    return std::nullopt;
  }
  if (files.empty()) {
    err << "superlink-harness: nothing selected: no .toml scenario file under "
        << quoted_list(paths) << "\n";
    return std::nullopt;
  }
  std::vector<Scenario> scenarios;
  bool ok = true;
  for (const auto& file : files) {
    try {
      scenarios.push_back(backend.load(file));
    } catch (const std::exception& e) {
      err << e.what() << "\n";
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  return scenarios;
}

std::optional<std::vector<Scenario>> filtered(std::vector<Scenario> scenarios,
                                              const std::vector<std::string>& filters,
                                              const std::vector<std::string>& paths,
                                              std::ostream& err) {
  const std::size_t found = scenarios.size();
  auto selected = select_scenarios(std::move(scenarios), filters, std::nullopt);
  if (selected.empty()) {
    err << "superlink-harness: nothing selected: --filter " << quoted_list(filters)
        << " matches none of the " << found << (found == 1 ? " scenario" : " scenarios")
        << " under " << quoted_list(paths) << "\n";
    return std::nullopt;
  }
  return selected;
}

}  // namespace harness::cli
