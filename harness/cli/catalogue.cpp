#include "catalogue.h"

#include <exception>
#include <filesystem>

namespace harness::cli {

std::optional<std::vector<Scenario>> load_catalogue(const std::vector<std::string>& paths,
                                                    const Backend& backend, std::ostream& err) {
  std::vector<std::filesystem::path> files;
  try {
    files = backend.find({paths.begin(), paths.end()});
  } catch (const std::exception& e) {
    err << e.what() << "\n";
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

}  // namespace harness::cli
