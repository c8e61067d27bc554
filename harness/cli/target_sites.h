// The failpoint sites a target binary has, asked once per binary with `--list-failpoints`. An
// empty list means the target has none: a build with SUPERLINK_FAILPOINTS=OFF lists no sites.
#pragma once

#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "backend.h"

namespace harness::cli {

class TargetSites {
 public:
  explicit TargetSites(const Backend& backend) : backend_(backend) {}

  // The sites of `target` ("" for the bundled mock) imitating `flower_version` (given as
  // SUPERLINK_FLOWER_VERSION; "" for its default), or nullopt after saying why on `err` when
  // the target cannot list them. Asked once per pair; later calls answer from the first.
  const std::optional<std::vector<std::string>>& of(const std::string& target, std::ostream& err,
                                                    const std::string& flower_version = "");

 private:
  const Backend& backend_;
  std::map<std::string, std::optional<std::vector<std::string>>> cache_;
  std::map<std::string, std::string> errors_;
};

}  // namespace harness::cli
